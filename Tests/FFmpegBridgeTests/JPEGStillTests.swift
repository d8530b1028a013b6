import FFmpegBridge
import Foundation
import Testing
import TestSupport

@Suite("JPEG stills: full-range scaling, sprite compositing, mjpeg encoding")
struct JPEGStillTests {
    @Test("tiles pasted on a black sheet land where asked; the sheet encodes as a JPEG ffprobe reads")
    func spriteSheet() throws {
        let tile = try Frame.picture(width: 4, height: 2, format: .yuvj420p)
        try tile.setPlane(0, rows: [[200, 201, 202, 203], [204, 205, 206, 207]])
        try tile.setPlane(1, rows: [[60, 61]])
        try tile.setPlane(2, rows: [[90, 91]])
        let sheet = try Frame.picture(width: 8, height: 4, format: .yuvj420p)
        try sheet.fillBlack()
        #expect(sheet.plane(0).allSatisfy { $0.allSatisfy { $0 == 0 } }, "full-range black is luma 0")
        #expect(sheet.plane(1).allSatisfy { $0.allSatisfy { $0 == 128 } })
        try sheet.paste(tile, x: 4, y: 2)
        #expect(sheet.plane(0) == [[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 200, 201, 202, 203], [0, 0, 0, 0, 204, 205, 206, 207]])
        #expect(sheet.plane(1) == [[128, 128, 128, 128], [128, 128, 60, 61]])
        #expect(sheet.plane(2)[1] == [128, 128, 90, 91])
        #expect(throws: FFmpegError.self) { try sheet.paste(tile, x: 5, y: 2) }  // off the chroma grid
        #expect(throws: FFmpegError.self) { try sheet.paste(tile, x: 6, y: 2) }  // sticks out

        let bytes = try JPEGEncoder.encode(sheet, quantizer: 3)
        let file = try makeTemporaryDirectory("jpeg").appendingPathComponent("sheet.jpg")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try Data(bytes).write(to: file)
        let stream = try #require(try Players.probe(file.path).streams.first)
        #expect(stream.codec_name == "mjpeg" && stream.width == 8 && stream.height == 4)
        #expect(throws: FFmpegError.self) { try JPEGEncoder.encode(try Frame.picture(width: 8, height: 4, format: .yuv420p), quantizer: 3) }
    }

    @Test("scaling for JPEG turns limited-range black and white into full-range 0 and 255")
    func fullRange() throws {
        let source = try Frame.picture(width: 16, height: 16, format: .yuv420p)
        try source.setPlane(0, rows: (0..<16).map { _ in Array(repeating: 16, count: 8) + Array(repeating: 235, count: 8) })
        try source.setPlane(1, rows: Array(repeating: Array(repeating: 128, count: 8), count: 8))
        try source.setPlane(2, rows: Array(repeating: Array(repeating: 128, count: 8), count: 8))
        let scaler = Scaler(outputWidth: 16, outputHeight: 16, filter: .bilinear, output: .jpeg)
        let still = try Frame.picture(width: 16, height: 16, format: .yuvj420p)
        try scaler.scale(source, into: still)
        let row = still.plane(0)[8]
        #expect(row.prefix(6).allSatisfy { $0 <= 1 } && row.suffix(6).allSatisfy { $0 >= 254 }, "\(row)")
        #expect(throws: FFmpegError.self) { try scaler.scale(source, into: try Frame.picture(width: 16, height: 16, format: .yuv420p)) }
    }
}

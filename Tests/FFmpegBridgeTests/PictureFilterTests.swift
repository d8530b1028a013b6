import FFmpegBridge
import Foundation
import Testing

@Suite("PictureFilter: one libavfilter chain, one picture in, one out")
struct PictureFilterTests {
    /// A `width`×2 yuv420p picture whose luma rows count up from `start`, with grey chroma.
    static func ramp(width: Int, start: UInt8) throws -> Frame {
        let picture = try Frame.picture(width: width, height: 2, format: .yuv420p)
        let row = (0..<width).map { start + UInt8($0) }
        try picture.setPlane(0, rows: [row, row])
        try picture.setPlane(1, rows: [Array(repeating: 128, count: width / 2)])
        try picture.setPlane(2, rows: [Array(repeating: 128, count: width / 2)])
        return picture
    }

    @Test("the chain runs on each picture, the input is left alone, and a new size rebuilds the graph")
    func filters() throws {
        let filter = PictureFilter(chain: "hflip,format=yuv444p", threads: 1)
        let picture = try Self.ramp(width: 4, start: 10)
        let flipped = try filter.apply(to: picture)
        #expect(flipped.plane(0) == [[13, 12, 11, 10], [13, 12, 11, 10]])
        #expect(flipped.pixelFormat.description == "yuv444p" && flipped.width == 4 && flipped.height == 2)
        #expect(picture.plane(0)[0] == [10, 11, 12, 13], "the caller's picture is unchanged")
        let wider = try filter.apply(to: try Self.ramp(width: 6, start: 100))
        #expect(wider.plane(0)[1] == [105, 104, 103, 102, 101, 100] && wider.width == 6)
    }

    @Test("a chain FFmpeg cannot parse is a typed error naming it")
    func badChain() throws {
        let picture = try Self.ramp(width: 4, start: 0)
        let error = #expect(throws: FFmpegError.self) { try PictureFilter(chain: "no_such_filter=1").apply(to: picture) }
        #expect(error?.description.contains("no_such_filter") == true, "\(String(describing: error))")
    }
}

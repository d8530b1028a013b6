import FFmpegBridge
import Foundation
import Testing
import TestSupport

@Suite("Masters read from memory, with limits")
struct MemoryInputTests {
    let limits = DecodeLimits(maxPixels: 4096 * 4096, maxAllocationBytes: 1 << 30)

    @Test("a master in memory opens with the same facts as the file, and decodes")
    func sameFacts() throws {
        let path = try TestMasters.path(TestMasters.pal)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromFile = try InputFile(path: path), fromMemory = try InputFile(bytes: bytes, name: "pal", limits: limits)
        #expect(fromMemory.info.formatName == fromFile.info.formatName)
        #expect(fromMemory.info.duration == fromFile.info.duration)
        #expect(fromMemory.info.streams.map(\.codecName) == fromFile.info.streams.map(\.codecName))
        let video = try #require(fromMemory.info.streams.first { $0.kind == .video })
        #expect(video.displaySize == (1024, 576))
        #expect(try decodedFrames(fromMemory, stream: video.index, maxPixels: limits.maxPixels) > 0)
    }

    @Test("max_pixels stops a decoder from allocating a larger picture")
    func maxPixels() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try TestMasters.path(TestMasters.pal))))
        let file = try InputFile(bytes: bytes, name: "pal", limits: limits)
        let video = try #require(file.info.streams.first { $0.kind == .video })
        #expect(throws: (any Error).self) { _ = try decodedFrames(file, stream: video.index, maxPixels: 720 * 576 - 1) }
    }

    @Test("a cut master in memory (its moov is at the end) fails with FFmpeg's message, not a crash", arguments: [0, 1, 100, 5000])
    func damaged(length: Int) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try TestMasters.path(TestMasters.pal))))
        #expect(throws: FFmpegError.self) { _ = try InputFile(bytes: Array(bytes.prefix(length)), name: "cut", limits: limits) }
    }

    @Test("an implausible sample aspect ratio (damage, not anamorphic video) is shown as square pixels")
    func implausibleSampleAspectRatio() throws {
        let folder = try makeTemporaryDirectory("sar")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("plain.mp4").path, damaged = folder.appendingPathComponent("sar.mp4").path
        try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10:duration=1",
                                          "-c:v", "libx264", "-preset", "ultrafast", plain])
        try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", plain, "-c", "copy", "-aspect", "10924:1", damaged])
        let video = try #require(try InputFile(path: damaged).info.streams.first { $0.kind == .video })
        #expect(video.sampleAspectRatio == Rational(765, 4))
        #expect(video.hasImplausibleSampleAspectRatio)
        #expect(video.displaySize == (320, 240))
    }

    /// Decodes every frame of `stream`; throws what the decoder throws.
    func decodedFrames(_ file: InputFile, stream: Int, maxPixels: Int) throws -> Int {
        let decoder = try Decoder(parameters: try file.codecParameters(stream: stream), threads: 1, maxPixels: maxPixels)
        let packet = try Packet()
        var frames = 0
        file.selectStreams([stream])
        while try file.read(into: packet) {
            guard packet.streamIndex == stream else { continue }
            try decoder.decode(packet) { _ in frames += 1 }
        }
        try decoder.decode(nil) { _ in frames += 1 }
        return frames
    }
}

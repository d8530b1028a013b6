import FFmpegBridge
import Foundation
import Testing
import TestSupport

@Suite("FFmpeg bridge")
struct FFmpegBridgeTests {
    @Test("opening a file that is not media fails with FFmpeg's own message")
    func notMedia() throws {
        let folder = try makeTemporaryDirectory("bridge")
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.mp4")
        try "this is not a video\n".write(to: text, atomically: true, encoding: .utf8)
        #expect {
            _ = try InputFile(path: text.path)
        } throws: { error in
            guard let error = error as? FFmpegError else { return false }
            return error.code < 0 && error.message == "Invalid data found when processing input" && error.operation.contains(text.path)
        }
    }

    @Test("a generated master opens with the facts ffprobe reports")
    func streamInfo() throws {
        let path = try TestMasters.path(TestMasters.pal)
        let file = try InputFile(path: path)
        let video = try #require(file.info.streams.first { $0.kind == .video })
        #expect(video.codecName == "h264")
        #expect(video.width == 720 && video.height == 576)
        #expect(video.sampleAspectRatio == Rational(64, 45))
        #expect(video.displaySize == (1024, 576))
        #expect(video.averageFrameRate == Rational(25, 1))
        let audio = try #require(file.info.streams.first { $0.kind == .audio })
        #expect(audio.sampleRate == 44_100 && audio.channelCount == 1)
        let probe = try Players.probe(path)
        #expect(abs((file.info.duration ?? 0) - (probe.format?.durationSeconds ?? -1)) < 0.01)
    }

    @Test("the rotation tag becomes a quarter turn, as ffmpeg's autorotate reads it")
    func rotation() throws {
        let file = try InputFile(path: try TestMasters.path(TestMasters.rotated))
        let video = try #require(file.info.streams.first { $0.kind == .video })
        #expect(video.rotation.swapsDimensions)
        #expect(video.displaySize == (360, 640))
    }

    @Test("decoding yields every frame of the master")
    func decode() throws {
        let path = try TestMasters.path(TestMasters.silent)
        let file = try InputFile(path: path)
        let decoder = try Decoder(parameters: try file.codecParameters(stream: 0), threads: 2)
        let packet = try Packet()
        var frames = 0
        while try file.read(into: packet) {
            try decoder.decode(packet) { _ in frames += 1 }
        }
        try decoder.decode(nil) { _ in frames += 1 }
        #expect(frames == 90)
    }

    @Test("quarter turns move pixels where a clockwise turn puts them")
    func turnPixels() throws {
        // A 4×2 luma plane numbered row by row; chroma planes are 2×1.
        let source = try Frame.picture(width: 4, height: 2, format: .yuv420p)
        try source.setPlane(0, rows: [[1, 2, 3, 4], [5, 6, 7, 8]])
        try source.setPlane(1, rows: [[10, 20]])
        try source.setPlane(2, rows: [[30, 40]])
        let turned = try Frame.picture(width: 2, height: 4, format: .yuv420p)
        try turned.fill(rotating: source, by: .clockwise)
        #expect(turned.plane(0) == [[5, 1], [6, 2], [7, 3], [8, 4]])
        #expect(turned.plane(1) == [[10], [20]])
        let back = try Frame.picture(width: 2, height: 4, format: .yuv420p)
        try back.fill(rotating: source, by: .counterClockwise)
        #expect(back.plane(0) == [[4, 8], [3, 7], [2, 6], [1, 5]])
        let half = try Frame.picture(width: 4, height: 2, format: .yuv420p)
        try half.fill(rotating: source, by: .halfTurn)
        #expect(half.plane(0) == [[8, 7, 6, 5], [4, 3, 2, 1]])
    }

    @Test("angles snap to quarter turns; others are refused", arguments: [
        (90.0, QuarterTurn.clockwise), (-90, .counterClockwise), (270, .counterClockwise), (180, .halfTurn),
        (-180, .halfTurn), (0, QuarterTurn.none), (360, QuarterTurn.none), (89.7, .clockwise),
    ])
    func quarterTurns(degrees: Double, turn: QuarterTurn) {
        #expect(QuarterTurn(degreesClockwise: degrees) == turn)
    }

    @Test("45 degrees is not a quarter turn")
    func oddAngle() {
        #expect(QuarterTurn(degreesClockwise: 45) == nil)
    }

    @Test("rescaling timestamps between time bases rounds to nearest")
    func rescale() {
        #expect(Rational.rescale(2, from: Rational(1, 30), to: Rational(1, 15360)) == 1024)
        #expect(Rational.rescale(1001, from: Rational(1, 30000), to: Rational(1, 48000)) == 1602)
        #expect(Rational(30000, 1001).inverse == Rational(1001, 30000))
        #expect(Rational(60, 2).reduced == Rational(30, 1))
    }
}

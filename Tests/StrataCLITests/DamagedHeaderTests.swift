import Foundation
import Testing
import TestSupport

extension CLISuite {
    /// Masters whose headers were damaged in ways fuzzing found (issue 17): they are used or refused, never
    /// passed on to the encoder as an impossible picture.
    @Suite("transcode: damaged headers")
    struct DamagedHeaderTests {
        /// A 2 s 320×240 master whose container declares a sample aspect ratio of 765:4 (zzuf made one read 8193:1).
        static func implausibleAspectMaster(in folder: URL) throws -> String {
            let plain = folder.appendingPathComponent("plain.mp4").path, damaged = folder.appendingPathComponent("sar.mp4").path
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                                              "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-preset", "ultrafast",
                                              "-c:a", "aac", "-shortest", plain])
            // 320×240 shown 10924:1 wide is a sample aspect ratio of 765:4 (FFmpeg reduces it to 8-bit terms).
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", plain, "-c", "copy", "-aspect", "10924:1", damaged])
            return damaged
        }

        @Test("an implausible sample aspect ratio is ignored with a warning; the package has square 4:3 pictures")
        func implausibleSampleAspectRatio() throws {
            let folder = try makeTemporaryDirectory("sar")
            defer { try? FileManager.default.removeItem(at: folder) }
            let master = try Self.implausibleAspectMaster(in: folder)
            let probed = try StrataBinary.run(["probe", master])
            #expect(probed.status == 0, "\(probed.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(probed.stdout.utf8)) as? [String: Any] ?? [:]
            let video = try #require((json["streams"] as? [[String: Any]] ?? []).first { $0["type"] as? String == "video" })
            #expect(video["sampleAspectRatio"] as? String == "765:4")
            #expect(video["sampleAspectRatioIgnored"] as? Bool == true)
            #expect(video["displayWidth"] as? Int == 320 && video["displayHeight"] as? Int == 240)

            let output = folder.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", master, "--output", output.path, "--json"])
            #expect(result.status == 0, "must not reach libx264 with an impossible size: \(result.stderr)")
            #expect(result.stderr.contains("implausible sample aspect ratio"), "ignored with a warning: \(result.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(renditionSizes(summary) == ["320x240"])
            // Checked by ffprobe, not by our own summary.
            let rendition = try #require(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("video").path).first)
            let initSegment = output.appendingPathComponent("video/\(rendition)/init.mp4").path
            let stream = try #require(try Players.probe(initSegment).streams.first)
            #expect(stream.width == 320 && stream.height == 240)
        }
    }
}

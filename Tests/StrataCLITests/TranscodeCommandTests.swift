import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: masters of every common kind play in independent players")
    struct TranscodeCommandTests {
        @Test("1080p master with the default profile: four aligned rungs, HLS and DASH play to the end")
        func fullLadder() throws {
            let master = try TestMasters.path(TestMasters.hd1080)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect(renditionSizes(summary) == ["1920x1080", "1280x720", "960x540", "640x360"])
            let rungs = summary["renditions"] as? [[String: Any]] ?? []
            #expect(rungs.map { $0["codecs"] as? String } == ["avc1.640028", "avc1.64001f", "avc1.64001f", "avc1.4d401e"])
            #expect(rungs.allSatisfy { ($0["segments"] as? Int) == 2 })
            #expect((summary["wallSeconds"] as? Double ?? 0) > 0)
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
            print(audit.notes.joined(separator: "\n"))
        }

        @Test("odd-sized master: its own size kept on top, even sizes at the aspect ratio")
        func oddSize() throws {
            let master = try TestMasters.path(TestMasters.oddSize)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect(renditionSizes(summary) == ["852x478", "642x360"], "the master's own size on top (rounded down to even), then 360p")
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
        }

        @Test("rotated master comes out upright, matching ffmpeg's own autorotation")
        func rotated() throws {
            let master = try TestMasters.path(TestMasters.rotated)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect(renditionSizes(summary) == ["360x640"])
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run(playersToo: false)
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
            // Compare pictures with ffmpeg decoding the master with its default autorotation.
            let rendition = output.appendingPathComponent("video/360p")
            let joined = output.appendingPathComponent("joined.mp4")
            try (Data(contentsOf: rendition.appendingPathComponent("init.mp4")) + Data(contentsOf: rendition.appendingPathComponent("seg-1.m4s"))).write(to: joined)
            let upright = try psnr(joined.path, master, reference: "scale=360:640:flags=bicubic")
            #expect(upright > 30, "PSNR against the upright master is \(upright) dB")
            let sideways = try psnr(joined.path, master, reference: "transpose=clock,scale=360:640:flags=bicubic")
            #expect(sideways < 20, "a sideways reference should not match (\(sideways) dB)")
            #expect(try stillSize(output.appendingPathComponent("poster.jpg")) == "360x640", "the poster is upright too")
            #expect(try StoryboardFile(contentsOf: output.appendingPathComponent("storyboard.vtt")).cues.allSatisfy { $0.rect.width == 160 && $0.rect.height == 284 })
        }

        @Test("variable-frame-rate master comes out at a constant frame rate")
        func variableFrameRate() throws {
            let master = try TestMasters.path(TestMasters.variableFrameRate)
            let (output, _) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
            let master3u8 = try MasterPlaylistFile(contentsOf: output.appendingPathComponent("master.m3u8"))
            #expect(master3u8.variants.first?.attributes["FRAME-RATE"] == "29.970")
            let rendition = output.appendingPathComponent("video/360p")
            let joined = output.appendingPathComponent("joined.mp4")
            var data = try Data(contentsOf: rendition.appendingPathComponent("init.mp4"))
            for segment in try MediaPlaylistFile(contentsOf: rendition.appendingPathComponent("index.m3u8")).entries {
                data += try Data(contentsOf: rendition.appendingPathComponent(segment.uri))
            }
            try data.write(to: joined)
            let times = try Players.frames(joined.path).compactMap(\.time)
            let steps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(times.count > 150)
            #expect(steps.allSatisfy { abs($0 - 1001.0 / 30000) < 0.0005 }, "frame steps vary: \(Set(steps.map { ($0 * 1e4).rounded() / 1e4 }))")
        }

        @Test("25 fps anamorphic master with mono 44.1 kHz audio: square pixels, 48 kHz stereo AAC")
        func palMono() throws {
            let master = try TestMasters.path(TestMasters.pal)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect(renditionSizes(summary) == ["960x540", "640x360"], "720x576 at 64:45 shows as 1024x576")
            #expect(try stillSize(output.appendingPathComponent("poster.jpg")) == "960x540", "square pixels, like the renditions")
            #expect(try StoryboardFile(contentsOf: output.appendingPathComponent("storyboard.vtt")).cues.allSatisfy { $0.rect.width == 160 && $0.rect.height == 90 })
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
            let audio = output.appendingPathComponent("audio/und")
            let joined = output.appendingPathComponent("audio.mp4")
            try (Data(contentsOf: audio.appendingPathComponent("init.mp4")) + Data(contentsOf: audio.appendingPathComponent("seg-1.m4s"))).write(to: joined)
            let stream = try #require(try Players.probe(joined.path).streams.first)
            #expect(stream.codec_name == "aac" && stream.sample_rate == "48000" && stream.channels == 2)
            let master3u8 = try MasterPlaylistFile(contentsOf: output.appendingPathComponent("master.m3u8"))
            #expect(master3u8.variants.allSatisfy { $0.attributes["FRAME-RATE"] == "25.000" })
        }

        @Test("a master without audio gives video-only variants")
        func silent() throws {
            let master = try TestMasters.path(TestMasters.silent)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect((summary["audio"] as? [Any])?.isEmpty == true)
            let master3u8 = try MasterPlaylistFile(contentsOf: output.appendingPathComponent("master.m3u8"))
            #expect(master3u8.media.isEmpty)
            #expect(master3u8.variants.allSatisfy { $0.attributes["AUDIO"] == nil && $0.attributes["CODECS"]?.contains("mp4a") == false })
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
        }
    }
}

/// PSNR (dB, average) of `distorted` against `master` passed through the ffmpeg filter `reference`.
func psnr(_ distorted: String, _ master: String, reference: String) throws -> Double {
    let result = try ToolRunner.run("ffmpeg", ["-nostdin", "-i", distorted, "-i", master, "-lavfi",
                                               "[1:v]\(reference),setsar=1[ref];[0:v]setsar=1[out];[out][ref]psnr", "-f", "null", "-"])
    guard let range = result.stderr.range(of: #"average:([0-9.]+|inf)"#, options: .regularExpression) else {
        throw ToolError("no PSNR in ffmpeg output: \(result.stderr.suffix(500))")
    }
    let value = result.stderr[range].dropFirst("average:".count)
    return value == "inf" ? 100 : Double(value) ?? 0
}

import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode --chunk-segments: chunks encoded alone join into the package a single run makes")
    struct ChunkedTranscodeTests {
        /// A playlist without its measured bit rates (each chunk's encoder starts its rate control afresh).
        func withoutRates(_ text: String) -> String {
            text.split(separator: "\n").filter { !$0.contains("BANDWIDTH") }.joined(separator: "\n")
        }

        /// Every video packet's timestamps and flags, read by ffprobe from the rung's init segment and segments joined.
        func packets(_ package: URL, rung: String) throws -> [String] {
            let folder = package.appendingPathComponent("video/\(rung)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".m4s") }
                .sorted { Int($0.dropFirst(4).dropLast(4))! < Int($1.dropFirst(4).dropLast(4))! }
            var joined = try Data(contentsOf: folder.appendingPathComponent("init.mp4"))
            for file in files { joined += try Data(contentsOf: folder.appendingPathComponent(file)) }
            let track = package.deletingLastPathComponent().appendingPathComponent("\(package.lastPathComponent)-\(rung).mp4")
            try joined.write(to: track)
            let result = try ToolRunner.run("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "packet=pts,dts,flags",
                                                        "-of", "csv", track.path])
            #expect(result.succeeded, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }

        @Test("a master with keyframes off the grid, cut into one-segment chunks: same segments, timestamps, MPD and audio bytes; plays in ffmpeg and GStreamer")
        func chunksJoin() throws {
            let master = try TestMasters.path(TestMasters.sparseKeyframes)
            let single = try transcode(master, extra: ["--fast-start"])
            let chunked = try transcode(master, extra: ["--fast-start", "--chunk-segments", "1"])
            #expect(renditionSizes(chunked.summary) == renditionSizes(single.summary))
            let rungs = try FileManager.default.contentsOfDirectory(atPath: single.output.appendingPathComponent("video").path)
            #expect(!rungs.isEmpty)
            for rung in rungs {
                let playlist = "video/\(rung)/index.m3u8"
                let expected = try String(contentsOf: single.output.appendingPathComponent(playlist), encoding: .utf8)
                let made = try String(contentsOf: chunked.output.appendingPathComponent(playlist), encoding: .utf8)
                #expect(withoutRates(made) == withoutRates(expected), "\(rung): same segments and durations")
                #expect(made.components(separatedBy: "#EXTINF").count >= 4, "several chunks: \(made)")
                let packets = try packets(chunked.output, rung: rung)
                #expect(packets.count == 400, "every frame of 16 s at 25 fps")
                #expect(packets == (try self.packets(single.output, rung: rung)), "\(rung): same pts, dts and keyframes")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: chunked.output.appendingPathComponent("video/\(rung)").path)
                    .filter { $0.hasPrefix(".") }
                #expect(leftovers.isEmpty, "\(leftovers)")
            }
            let rate = #/ bandwidth="\d+"/#
            let mpd = try String(contentsOf: chunked.output.appendingPathComponent("manifest.mpd"), encoding: .utf8)
            #expect(mpd.replacing(rate, with: "") == (try String(contentsOf: single.output.appendingPathComponent("manifest.mpd"), encoding: .utf8)).replacing(rate, with: ""))
            // Audio is encoded once, whole: no join, so the very same bytes as a single run.
            let audio = try FileManager.default.subpathsOfDirectory(atPath: single.output.appendingPathComponent("audio").path).filter { $0.hasSuffix(".m4s") }
            #expect(!audio.isEmpty)
            for file in audio {
                let path = "audio/\(file)"
                #expect(FileManager.default.contents(atPath: chunked.output.appendingPathComponent(path).path)
                        == FileManager.default.contents(atPath: single.output.appendingPathComponent(path).path), "\(path)")
            }
            #expect(!FileManager.default.fileExists(atPath: chunked.output.appendingPathComponent(".chunks").path))
            #expect(FileManager.default.fileExists(atPath: chunked.output.appendingPathComponent("poster.jpg").path))
            #expect(FileManager.default.fileExists(atPath: chunked.output.appendingPathComponent("storyboard.vtt").path))

            let web = try LoopbackHTTPServer(serving: chunked.output)
            for entry in ["master.m3u8", "manifest.mpd"] {
                let played = try Players.ffmpegDecode(web.url(entry))
                #expect(played.status == 0 && played.stderr.isEmpty, "\(entry): \(played.stderr.suffix(2000))")
            }
            let gstreamer = try Players.gstreamer(web.url("master.m3u8"))
            #expect(gstreamer.status == 0 && gstreamer.errors.isEmpty, "\(gstreamer.errors)")
            #expect(gstreamer.videoBuffers >= 390, "GStreamer rendered \(gstreamer.videoBuffers) pictures")
            #expect((gstreamer.lastVideoTime ?? 0) > 15.5 && (gstreamer.lastAudioTime ?? 0) > 15.5, "\(gstreamer)")
        }

        @Test("an MPEG-TS master, whose seeks land past a chunk's start: reading starts earlier, and the segments and timestamps are a single run's")
        func approximateSeeks() throws {
            let master = try TestMasters.path(TestMasters.sparseKeyframesTS)
            let single = try transcode(master, extra: ["--fast-start"])
            let chunked = try transcode(master, extra: ["--fast-start", "--chunk-segments", "1"])
            for rung in try FileManager.default.contentsOfDirectory(atPath: single.output.appendingPathComponent("video").path) {
                let playlist = "video/\(rung)/index.m3u8"
                #expect(withoutRates(try String(contentsOf: chunked.output.appendingPathComponent(playlist), encoding: .utf8))
                        == withoutRates(try String(contentsOf: single.output.appendingPathComponent(playlist), encoding: .utf8)))
                let packets = try packets(chunked.output, rung: rung)
                #expect(try packets.count == 400 && packets == self.packets(single.output, rung: rung))
                // The pictures are the master's, frame for frame: each is a close encode of the single run's same frame.
                let joined = { (package: URL) in package.deletingLastPathComponent().appendingPathComponent("package-\(rung).mp4").path }
                let compared = try ToolRunner.run("ffmpeg", ["-v", "error", "-i", joined(single.output), "-i", joined(chunked.output),
                                                             "-lavfi", "[0:v][1:v]psnr=stats_file=-", "-f", "null", "-"])
                let frames = compared.stdout.split(separator: "\n").compactMap { line in
                    line.split(separator: " ").first { $0.hasPrefix("psnr_avg:") }.map { Double($0.dropFirst("psnr_avg:".count)) ?? .infinity }
                }
                #expect(frames.count == 400, "\(compared.stderr)")
                #expect((frames.min() ?? 0) > 30, "the worst frame is \(frames.min() ?? 0) dB from the single run's: a frame out of place?")
            }
        }

        @Test("per-title: decided once in the plan step, the same rungs and rates as one process, quality measured once over the whole master")
        func perTitle() throws {
            let master = try TestMasters.path(TestMasters.sparseKeyframes)
            // The constant-quality goal: its decisions are rounded enough to be the same in two runs of threaded
            // x264; matching the fixed ladder searches on measured PSNR, which differs in the last digits.
            let single = try transcode(master, profile: "per-title-crf", extra: ["--fast-start"])
            let chunked = try transcode(master, profile: "per-title-crf", extra: ["--fast-start", "--chunk-segments", "2"])
            let decisions = { (summary: [String: Any]) in
                (summary["renditions"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \(($0["rateControl"] as? [String: Any])?["reason"] ?? "")" }
            }
            #expect(!decisions(single.summary).isEmpty)
            #expect(decisions(chunked.summary) == decisions(single.summary))
            for rendition in chunked.summary["renditions"] as? [[String: Any]] ?? [] {
                let psnr = (rendition["quality"] as? [String: Any])?["psnr"] as? Double
                #expect((psnr ?? 0) > 30, "\(rendition)")
            }
            for rung in try FileManager.default.contentsOfDirectory(atPath: single.output.appendingPathComponent("video").path) {
                let playlist = "video/\(rung)/index.m3u8"
                #expect(withoutRates(try String(contentsOf: chunked.output.appendingPathComponent(playlist), encoding: .utf8))
                        == withoutRates(try String(contentsOf: single.output.appendingPathComponent(playlist), encoding: .utf8)))
            }
        }

        @Test("--chunk-segments refuses 0, --progressive, and smart crops (their camera path spans the whole master)")
        func refusals() throws {
            let master = try TestMasters.path(TestMasters.oddSize)
            let output = try makeTemporaryDirectory("chunk-refusals").appendingPathComponent("package")
            let zero = try StrataBinary.run(["transcode", master, "--output", output.path, "--chunk-segments", "0"])
            #expect(zero.status == 64 && zero.stderr.contains("--chunk-segments must be at least 1"), "\(zero.stderr)")
            let progressive = try StrataBinary.run(["transcode", master, "--output", output.path, "--chunk-segments", "2", "--progressive"])
            #expect(progressive.status == 64 && progressive.stderr.contains("--progressive"), "\(progressive.stderr)")
            let crops = try StrataBinary.run(["transcode", master, "--profile", "social", "--output", output.path, "--chunk-segments", "2"])
            #expect(crops.status != 0 && crops.stderr.contains("smart crops"), "\(crops.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output.path), "nothing written")
        }
    }
}

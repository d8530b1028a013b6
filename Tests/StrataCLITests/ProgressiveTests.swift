import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode --progressive: playable while it is made, the same package at the end")
    struct ProgressiveTests {
        @Test("mid-job: EVENT playlists ffmpeg plays from the first segment and a schema-valid dynamic MPD; at the end: VOD, static, same as --fast-start")
        func progressive() throws {
            let master = try TestMasters.path(TestMasters.hd1080)
            let folder = try makeTemporaryDirectory("progressive")
            defer { try? FileManager.default.removeItem(at: folder) }
            let captions = folder.appendingPathComponent("en.srt")
            try TestMasters.englishSubtitles.write(to: captions, atomically: true, encoding: .utf8)
            let output = folder.appendingPathComponent("package")
            let web = try LoopbackHTTPServer(serving: folder)
            let process = try StrataBinary.start(["transcode", master, "--progressive", "--output", output.path, "--captions", "en=\(captions.path)"])

            // Wait for the first listing (the master playlist is written last): EVENT playlists for every track.
            let video = output.appendingPathComponent("video/360p/index.m3u8")
            let masterPlaylist = output.appendingPathComponent("master.m3u8")
            let deadline = Date().addingTimeInterval(300)
            var growing: String?
            while growing == nil, process.isRunning, Date() < deadline {
                if FileManager.default.fileExists(atPath: masterPlaylist.path),
                   let text = try? String(contentsOf: video, encoding: .utf8), text.contains("#EXT-X-PLAYLIST-TYPE:EVENT") {
                    growing = text
                } else {
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
            let event = try #require(growing, "no EVENT playlist appeared while the job ran")
            #expect(!event.contains("#EXT-X-ENDLIST"))
            let subtitles = try String(contentsOf: output.appendingPathComponent("subtitles/en/index.m3u8"), encoding: .utf8)
            #expect(subtitles.contains("#EXT-X-PLAYLIST-TYPE:EVENT"), "captions grow with the video")
            let dynamic = folder.appendingPathComponent("dynamic.mpd")
            try Data(contentsOf: output.appendingPathComponent("manifest.mpd")).write(to: dynamic)
            #expect(try String(contentsOf: dynamic, encoding: .utf8).contains(#"type="dynamic""#))
            let dynamicSchema = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, dynamic.path])
            #expect(dynamicSchema.succeeded, "\(dynamicSchema.stderr)")
            for entry in try MediaPlaylistFile(contentsOf: video).entries {
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("video/360p/\(entry.uri)").path),
                        "\(entry.uri) is listed before it exists")
            }

            // ffmpeg reads the growing package from its first segment, reloading the playlists until ENDLIST.
            let played = try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-live_start_index", "0", "-i", web.url("package/master.m3u8"),
                                                       "-map", "0:v:0", "-map", "0:a:0", "-f", "null", "-"], timeout: 600)
            #expect(played.succeeded && played.stderr.isEmpty, "ffmpeg: \(played.status) \(played.stderr.prefix(500))")
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)

            let final = try String(contentsOf: video, encoding: .utf8)
            #expect(final.contains("#EXT-X-PLAYLIST-TYPE:VOD") && final.hasSuffix("#EXT-X-ENDLIST\n"))
            // Segments are only ever appended: what was listed mid-job is the start of the final list.
            let listed = event.split(separator: "\n").filter { $0.hasPrefix("#EXTINF") || $0.hasSuffix(".m4s") }
            #expect(Array(final.split(separator: "\n").filter { $0.hasPrefix("#EXTINF") || $0.hasSuffix(".m4s") }.prefix(listed.count)) == listed)
            #expect(try String(contentsOf: output.appendingPathComponent("manifest.mpd"), encoding: .utf8).contains(#"type="static""#))
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(".progress.json").path))

            let reference = folder.appendingPathComponent("reference")
            let atomic = try StrataBinary.run(["transcode", master, "--fast-start", "--output", reference.path, "--captions", "en=\(captions.path)"])
            #expect(atomic.status == 0, "\(atomic.stderr)")
            #expect(try PackageStructure.describe(output) == PackageStructure.describe(reference))
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run(playersToo: false)
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
        }
    }
}

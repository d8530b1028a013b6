import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("probe and profiles commands")
    struct ProbeAndProfilesTests {
        func probe(_ master: String) throws -> [String: Any] {
            let result = try StrataBinary.run(["probe", master])
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }

        func streams(_ json: [String: Any]) -> [[String: Any]] { json["streams"] as? [[String: Any]] ?? [] }

        @Test("probe reports display size after pixel aspect ratio, frame rate and audio layout")
        func anamorphic() throws {
            let json = try probe(try TestMasters.path(TestMasters.pal))
            #expect((json["format"] as? String)?.contains("mp4") == true)
            #expect(abs((json["duration"] as? Double ?? 0) - 5) < 0.1)
            let video = try #require(streams(json).first { $0["type"] as? String == "video" })
            #expect(video["codec"] as? String == "h264")
            #expect(video["width"] as? Int == 720 && video["height"] as? Int == 576)
            #expect(video["sampleAspectRatio"] as? String == "64:45")
            #expect(video["displayWidth"] as? Int == 1024 && video["displayHeight"] as? Int == 576)
            #expect(video["frameRate"] as? Double == 25)
            let audio = try #require(streams(json).first { $0["type"] as? String == "audio" })
            #expect(audio["channels"] as? Int == 1 && audio["sampleRate"] as? Int == 44100)
            #expect(audio["channelLayout"] as? String == "mono")
            #expect((audio["dispositions"] as? [String])?.contains("default") == true)
        }

        @Test("probe reports rotation and the upright display size")
        func rotated() throws {
            let video = try #require(streams(try probe(try TestMasters.path(TestMasters.rotated))).first { $0["type"] as? String == "video" })
            #expect(video["rotation"] as? Int == 270)
            #expect(video["displayWidth"] as? Int == 360 && video["displayHeight"] as? Int == 640)
        }

        @Test("probe of something that is not media fails with one line")
        func probeBadInput() throws {
            let result = try StrataBinary.run(["probe", "/nonexistent/master.mov"])
            #expect(result.status == 65)
            #expect(result.stderr == "strata: error: master '/nonexistent/master.mov' does not exist\n")
        }

        @Test("profiles validate accepts the shipped profiles and reports each problem with file, line and key path")
        func validate() throws {
            let good = try StrataBinary.run(["profiles", "validate", "Profiles/default.yaml", "Profiles/mobile.yaml"])
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stdout.contains("Profiles/default.yaml: ok (4 renditions)"))
            let folder = try makeTemporaryDirectory("validate")
            defer { try? FileManager.default.removeItem(at: folder) }
            let bad = folder.appendingPathComponent("bad.yaml")
            try "name: bad\nsegment_seconds: 6\ngop_seconds: 2\nrenditions:\n  - height: 720\n    bitrate: lots\n".write(to: bad, atomically: true, encoding: .utf8)
            let result = try StrataBinary.run(["profiles", "validate", bad.path])
            #expect(result.status == 78)
            #expect(result.stderr == "strata: error: \(bad.path):6: renditions[0].bitrate: expected a bit rate such as 2800k or 5M, got 'lots'\n")
        }

        @Test("profiles list and show use the profiles folder")
        func listAndShow() throws {
            let list = try StrataBinary.run(["profiles", "list"])
            #expect(list.status == 0)
            #expect(list.stdout.contains("default\t1080p@5M 720p@2800k 540p@1400k 360p@800k"))
            let show = try StrataBinary.run(["profiles", "show", "mobile"])
            let json = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
            #expect(json?["segmentSeconds"] as? Double == 4)
        }

        @Test("--help explains the commands, and the transcode options")
        func help() throws {
            let top = try StrataBinary.run(["--help"])
            #expect(top.status == 0)
            for word in ["probe", "transcode", "profiles", "Exit status"] { #expect(top.stdout.contains(word)) }
            let transcode = try StrataBinary.run(["transcode", "--help"])
            for word in ["--profile", "--output", "--json", "--overwrite", "--encoder-threads"] { #expect(transcode.stdout.contains(word)) }
            let missing = try StrataBinary.run(["transcode"])
            #expect(missing.status == 64)
        }
    }
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("upload, sidecars, publish and play from the server")
    struct PlaybackTests {
        @Test("a master with sidecars plays in ffmpeg and GStreamer from the server, HLS and DASH")
        func endToEnd() throws {
            let server = try startServer()
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.multiTrack)
            let created = try server.upload(master, title: "Tracks%20test")
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status"] as? String == "queued")
            #expect(created.json["title"] as? String == "Tracks test")
            #expect(created.header("location") == "/v1/assets/\(id)")

            // Sidecars sent while the asset is being made are packaged with it.
            let folder = try makeTemporaryDirectory("server-sidecars")
            defer { try? FileManager.default.removeItem(at: folder) }
            let german = folder.appendingPathComponent("de.m4a")
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=520:duration=8", "-c:a", "aac", german.path])
            let captions = folder.appendingPathComponent("es.srt")
            try "1\n00:00:01,000 --> 00:00:02,000\n¡Hola, servidor!\n".write(to: captions, atomically: true, encoding: .utf8)
            let audio = try HTTP.request(server.url("/v1/assets/\(id)/audio/de?role=dub"), method: "PUT", headers: server.auth, bodyFile: german)
            #expect(audio.status == 202, "\(audio.text)")
            let subtitles = try HTTP.request(server.url("/v1/assets/\(id)/captions/es?kind=subtitles"), method: "PUT", headers: server.auth, bodyFile: captions)
            #expect(subtitles.status == 202, "\(subtitles.text)")

            let ready = try server.waitUntilSettled(id)
            #expect(ready["status"] as? String == "ready", "\(ready)")
            #expect(ready["progress"] as? Double == 1)
            let audioTracks = (ready["audio"] as? [[String: Any]] ?? []).compactMap { $0["language"] as? String }
            #expect(audioTracks == ["en", "es", "en", "de"])
            let captionTracks = (ready["captions"] as? [[String: Any]] ?? []).compactMap { $0["language"] as? String }
            #expect(captionTracks == ["en", "fr", "es"])
            #expect((ready["renditions"] as? [[String: Any]])?.count == 1)

            // Not visible to players until published.
            #expect(try HTTP.request(server.url("/stream/\(id)/master.m3u8")).status == 404)
            let published = try server.publish(id)
            #expect(published.status == 200 && published.json["published"] as? Bool == true)
            let playback = try #require(published.json["playback"] as? [String: String])
            #expect(playback["hls"] == server.url("/stream/\(id)/master.m3u8"))

            var players = PlayerChecks(baseURL: server.url("/stream/\(id)"), masterDuration: 8, videoFrameRate: 30)
            try players.run()
            #expect(players.problems.isEmpty, "\(players.problems.joined(separator: "\n"))")
            print(players.notes.joined(separator: "\n"))
            let modern = try #require(ModernFFmpeg.ffprobe)
            let hls = try Players.probe(server.url("/stream/\(id)/master.m3u8"), ffprobe: modern)
            #expect(hls.streams.filter { $0.codec_type == "subtitle" }.compactMap(\.language) == ["en", "fr", "es"])
            #expect(hls.streams.filter { $0.codec_type == "audio" }.compactMap(\.language) == ["en", "es", "en", "de"])

            // Unpublishing hides it again.
            #expect(try HTTP.request(server.url("/v1/assets/\(id)/unpublish"), method: "POST", headers: server.auth).status == 200)
            #expect(try HTTP.request(server.url("/stream/\(id)/manifest.mpd")).status == 404)
        }

        @Test("a sidecar sent to a ready asset is added without re-encoding the video")
        func addToReady() throws {
            let server = try startServer()
            defer { server.stop() }
            let created = try server.upload(try TestMasters.path(TestMasters.pal))
            let id = try #require(created.json["id"] as? String)
            try server.waitUntilSettled(id)
            _ = try server.publish(id)
            let segment = server.url("/stream/\(id)/video/540p/seg-1.m4s")
            let before = try HTTP.request(segment)
            #expect(before.status == 200)
            let posterBefore = try HTTP.request(server.url("/stream/\(id)/poster.jpg"))
            let captions = try makeTemporaryDirectory("late-captions").appendingPathComponent("fr.vtt")
            try "WEBVTT\n\n00:01.000 --> 00:02.000\nEn retard\n".write(to: captions, atomically: true, encoding: .utf8)
            let added = try HTTP.request(server.url("/v1/assets/\(id)/captions/fra?kind=forced"), method: "PUT", headers: server.auth, bodyFile: captions)
            #expect(added.status == 202, "\(added.text)")
            let settled = try server.waitUntilSettled(id)
            #expect((settled["captions"] as? [[String: Any]] ?? []).map { "\($0["language"]!)/\($0["kind"]!)/\($0["status"]!)" } == ["fr/forced/ready"])
            let master = try HTTP.request(server.url("/stream/\(id)/master.m3u8"))
            #expect(master.text.contains("TYPE=SUBTITLES") && master.text.contains("LANGUAGE=\"fr\"") && master.text.contains("FORCED=YES"))
            let after = try HTTP.request(segment)
            #expect(after.body == before.body, "the video segment must be the same bytes")
            #expect(after.header("etag") == before.header("etag"), "the same file, linked, not rewritten")
            try checkThumbnails(server: server, asset: settled, posterBefore: posterBefore)
        }
    }
}

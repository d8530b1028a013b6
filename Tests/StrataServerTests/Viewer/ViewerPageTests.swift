import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("the viewer: /watch, /embed and /oembed in headless Chromium")
    struct ViewerPageTests {
        /// Two rungs and 2 s segments so rung switches show quickly; fast to encode.
        static let profile = """
            segment_seconds: 2
            gop_seconds: 1
            video: {preset: ultrafast}
            renditions:
              - {height: 360, bitrate: 600k}
              - {height: 180, bitrate: 200k}
            audio: {bitrate: 64k}
            """
        static let spanishForced = "1\n00:00:02,000 --> 00:00:04,000\nCartel: Bienvenidos\n"

        @Test("pages, oEmbed and both engines in Chromium; Video.js/VHS (HLS and DASH) and hls.js play the package")
        func viewer() throws {
            let server = try startServer()
            defer { server.stop() }
            #expect(try HTTP.request(server.url("/v1/profiles/viewer-test"), method: "PUT", headers: server.auth, body: Self.profile).status == 201)
            let master = try TestMasters.path(TestMasters.multiTrack)
            let created = try server.upload(master, profile: "viewer-test", title: "Viewer%20%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            let id = try #require(created.json["id"] as? String, "\(created.text)")
            let folder = try makeTemporaryDirectory("viewer-captions")
            defer { try? FileManager.default.removeItem(at: folder) }
            let sources = ["en": "en.srt", "fr-forced": "fr.srt", "es-forced": "es-forced.srt"]
            try TestMasters.englishSubtitles.write(to: folder.appendingPathComponent("en.srt"), atomically: true, encoding: .utf8)
            try TestMasters.frenchSubtitles.write(to: folder.appendingPathComponent("fr.srt"), atomically: true, encoding: .utf8)
            try Self.spanishForced.write(to: folder.appendingPathComponent("es-forced.srt"), atomically: true, encoding: .utf8)
            let sidecar = try HTTP.request(server.url("/v1/assets/\(id)/captions/es?kind=forced"), method: "PUT", headers: server.auth,
                                           bodyFile: folder.appendingPathComponent("es-forced.srt"))
            #expect(sidecar.status == 202, "\(sidecar.text)")
            let ready = try server.waitUntilSettled(id)
            #expect(ready["status"] as? String == "ready", "\(ready)")

            // Only published, ready assets have pages.
            #expect(try HTTP.request(server.url("/watch/\(id)")).status == 404)
            #expect(try HTTP.request(server.url("/oembed?url=\(server.url("/watch/\(id)"))")).status == 404)
            #expect(try server.publish(id).status == 200)
            try checkPages(server, id)

            let mapping = folder.appendingPathComponent("captions.json")
            let paths = sources.mapValues { folder.appendingPathComponent($0).path }
            try JSONSerialization.data(withJSONObject: paths).write(to: mapping)
            let artifacts = repositoryRoot.appendingPathComponent(".build/test-artifacts/viewer")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            for engine in ["native", "mse"] {
                try runBrowserChecks("viewer_check.py", [server.baseURL, id, engine, artifacts.path, mapping.path], expectAtLeast: 20)
            }
            let videojs = repositoryRoot.appendingPathComponent(".tools/web/videojs")
            try runBrowserChecks("videojs_check.py", [server.baseURL, id, videojs.path, artifacts.path, "30"], expectAtLeast: 8)
            let hlsjs = repositoryRoot.appendingPathComponent(".tools/web/hlsjs")
            try runBrowserChecks("hlsjs_check.py", [server.baseURL, id, hlsjs.path, artifacts.path, "30"], expectAtLeast: 8)
        }

        /// The HTML, query handling, native playlist and oEmbed, read with curl.
        func checkPages(_ server: ServerProcess, _ id: String) throws {
            let page = try HTTP.request(server.url("/watch/\(id)?t=2&audio=es&captions=en"))
            #expect(page.status == 200 && page.header("content-type") == "text/html; charset=utf-8")
            #expect(!page.text.contains("<script>alert"), "the title is escaped")
            #expect(page.text.contains("Viewer &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.text.contains("&quot;audioLanguage&quot;:&quot;es&quot;") && page.text.contains("&quot;startTime&quot;:2"))
            let embed = try HTTP.request(server.url("/embed/\(id)"))
            #expect(embed.status == 200 && embed.text.contains("class=\"embedded\"") && embed.header("x-frame-options") == nil)
            #expect(page.header("x-frame-options") == "SAMEORIGIN")
            for query in ["t=-1", "t=abc", "audio=%22%3E", "captions=xx1", "autoplay=2", "engine=flash", "viewer=..%2Fx"] {
                #expect(try HTTP.request(server.url("/watch/\(id)?\(query)")).status == 400, "\(query)")
            }
            #expect(try HTTP.request(server.url("/watch/\(id)?viewer=nonexistent")).status == 404)
            #expect(try HTTP.request(server.url("/watch/nonexistent")).status == 404)
            #expect(try HTTP.request(server.url("/viewer/assets/..%2F..%2FPackage.swift"), pathAsIs: true).status == 404)

            let native = try HTTP.request(server.url("/watch/\(id)/master.m3u8?video=180p&audio=es-dub"))
            #expect(native.status == 200 && native.text.hasPrefix("#EXTM3U"))
            #expect(native.text.contains("/stream/\(id)/video/180p/index.m3u8") && !native.text.contains("video/360p/index.m3u8"))
            #expect(native.text.contains("/stream/\(id)/audio/es-dub/index.m3u8") && !native.text.contains("audio/en/index.m3u8"))
            #expect(try HTTP.request(server.url("/watch/\(id)/master.m3u8?video=9000p")).status == 404)

            let watchURL = server.url("/watch/\(id)")
            let oembed = try HTTP.request(server.url("/oembed?url=\(watchURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&maxwidth=480"))
            #expect(oembed.status == 200 && oembed.header("content-type")?.hasPrefix("application/json") == true)
            let answer = oembed.json
            #expect(answer["type"] as? String == "video" && answer["version"] as? String == "1.0")
            #expect(answer["width"] as? Int == 480 && answer["height"] as? Int == 270)
            #expect((answer["html"] as? String)?.hasPrefix("<iframe src=\"\(server.url("/embed/\(id)"))\"") == true, "\(answer)")
            #expect((answer["html"] as? String)?.contains("<script>") == false)
            #expect(answer["thumbnail_url"] as? String == server.url("/stream/\(id)/poster.jpg"))
            #expect(try HTTP.request(server.url("/oembed?url=http%3A%2F%2Fexample.com%2Fwatch%2F\(id)")).status == 404)
            #expect(try HTTP.request(server.url("/oembed?url=\(watchURL)&format=xml")).status == 501)
            #expect(try HTTP.request(server.url("/oembed")).status == 400)
        }

        /// Runs a Playwright script from Tests/Browser with the checkout's Python and expects every check it reports to pass.
        func runBrowserChecks(_ script: String, _ arguments: [String], expectAtLeast: Int) throws {
            let python = repositoryRoot.appendingPathComponent(".tools/venv/bin/python").path
            let path = repositoryRoot.appendingPathComponent("Tests/Browser/\(script)").path
            let result = try ToolRunner.run(python, [path] + arguments, timeout: 600)
            let data = Data(result.stdout.utf8)
            let report = try #require((try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                                      "\(script) printed no report (is Playwright installed? run scripts/install-deps): \(result.stderr)")
            let checks = report["checks"] as? [[String: Any]] ?? []
            #expect(checks.count >= expectAtLeast, "\(script) ran only \(checks.count) checks")
            for check in checks {
                #expect(check["ok"] as? Bool == true, "\(check["name"] ?? "?"): \(check["detail"] ?? "")")
            }
        }
    }
}

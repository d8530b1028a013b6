import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("uploads: limits, bad masters and bad sidecars")
    struct UploadTests {
        func files(in folder: URL) -> [String] {
            (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { !$0.hasPrefix("strata.sqlite") }
        }

        @Test("an upload over the limit is refused with 413 and nothing is kept")
        func tooLarge() throws {
            let server = try startServer(["--max-upload", "100k"])
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.pal)  // about 2 MB
            let response = try server.upload(master)
            #expect(response.status == 413, "\(response.text)")
            #expect(errorBody(response).code == "too_large")
            let assets = try HTTP.request(server.url("/v1/assets"), headers: server.auth).json["assets"] as? [Any]
            #expect(assets?.isEmpty == true)
            #expect(files(in: server.dataDirectory.appendingPathComponent("uploads")).isEmpty)
            #expect(files(in: server.dataDirectory.appendingPathComponent("assets")).isEmpty)
            // The server keeps serving after refusing it.
            #expect(try HTTP.request(server.url("/healthz")).status == 200)
        }

        @Test("a non-media upload becomes a failed asset with a clear error; the server carries on")
        func notMedia() throws {
            let server = try startServer()
            defer { server.stop() }
            let text = try makeTemporaryDirectory("notmedia").appendingPathComponent("notes.mp4")
            try String(repeating: "this is not a video\n", count: 100).write(to: text, atomically: true, encoding: .utf8)
            let response = try server.upload(text.path)
            #expect(response.status == 201)
            let id = try #require(response.json["id"] as? String)
            let asset = try server.waitUntilSettled(id)
            #expect(asset["status"] as? String == "failed")
            let error = asset["error"] as? [String: Any]
            #expect(error?["code"] as? String == "not_media")
            #expect((error?["message"] as? String)?.contains("cannot read the upload as media") == true, "\(String(describing: error))")
            // A truncated master also fails, with the reason, while a good one still goes through.
            let truncated = try makeTemporaryDirectory("truncated").appendingPathComponent("half.mp4")
            let whole = try Data(contentsOf: URL(fileURLWithPath: try TestMasters.path(TestMasters.hd1080)))
            try whole.prefix(whole.count / 2).write(to: truncated)
            let cut = try #require(try server.upload(truncated.path).json["id"] as? String)
            let good = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            #expect(try server.waitUntilSettled(cut)["status"] as? String == "failed")
            #expect(try server.waitUntilSettled(good)["status"] as? String == "ready")
        }

        @Test("an unknown profile is refused before the upload is read")
        func unknownProfile() throws {
            let server = try startServer()
            defer { server.stop() }
            let response = try server.upload(try TestMasters.path(TestMasters.silent), profile: "nonexistent")
            #expect(response.status == 404)
            #expect(errorBody(response).code == "invalid_profile")
            #expect(errorBody(response).message?.contains("known profiles: default, mobile, multicodec, per-title, per-title-crf, social") == true, "\(response.text)")
            #expect(files(in: server.dataDirectory.appendingPathComponent("assets")).isEmpty)
        }

        @Test("bad sidecars are refused with the reason: broken captions, not audio, unknown language, bad role")
        func badSidecars() throws {
            let server = try startServer()
            defer { server.stop() }
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            let folder = try makeTemporaryDirectory("bad-sidecars")
            let broken = folder.appendingPathComponent("broken.srt")
            try "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> nonsense\nbad\n".write(to: broken, atomically: true, encoding: .utf8)
            let captions = try HTTP.request(server.url("/v1/assets/\(id)/captions/en"), method: "PUT", headers: server.auth, bodyFile: broken)
            #expect(captions.status == 422)
            #expect(errorBody(captions).message == "captions 'request body' line 6: broken timestamp in '00:00:03,000 --> nonsense'; expected hh:mm:ss,mmm --> hh:mm:ss,mmm")
            let notAudio = try HTTP.request(server.url("/v1/assets/\(id)/audio/es"), method: "PUT", headers: server.auth, bodyFile: broken)
            // FFmpeg reads a SubRip file as subtitles, so the precise complaint is the missing audio.
            #expect(notAudio.status == 422 && errorBody(notAudio).message == "sidecar audio 'request body' (es) has no audio stream", "\(notAudio.text)")
            let language = try HTTP.request(server.url("/v1/assets/\(id)/audio/xx"), method: "PUT", headers: server.auth, bodyFile: broken)
            #expect(language.status == 400 && errorBody(language).code == "unknown_language")
            let role = try HTTP.request(server.url("/v1/assets/\(id)/audio/es?role=karaoke"), method: "PUT", headers: server.auth, bodyFile: broken)
            #expect(role.status == 400 && errorBody(role).message?.contains("role must be one of") == true)
            #expect(try HTTP.request(server.url("/v1/assets/nope/audio/es"), method: "PUT", headers: server.auth, bodyFile: broken).status == 404)
            #expect(files(in: server.dataDirectory.appendingPathComponent("assets/\(id)/sidecars")).isEmpty)
            #expect(files(in: server.dataDirectory.appendingPathComponent("uploads")).isEmpty)
        }

        @Test("deleting an asset removes it and its files")
        func delete() throws {
            let server = try startServer()
            defer { server.stop() }
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            try server.waitUntilSettled(id)
            _ = try server.publish(id)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)"), method: "DELETE", headers: server.auth).status == 204)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)"), headers: server.auth).status == 404)
            #expect(try HTTP.request(server.url("/stream/\(id)/master.m3u8")).status == 404)
            #expect(!FileManager.default.fileExists(atPath: server.dataDirectory.appendingPathComponent("assets/\(id)").path))
        }
    }

    @Suite("profiles over HTTP")
    struct ProfileAPITests {
        @Test("define, read, replace and delete a profile, with the same validation as files")
        func lifecycle() throws {
            let server = try startServer()
            defer { server.stop() }
            let url = server.url("/v1/profiles/phones")
            let yaml = "renditions:\n  - height: 360\n    bitrate: 600k\n"
            let created = try HTTP.request(url, method: "PUT", headers: server.auth, body: yaml)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["name"] as? String == "phones")
            #expect(FileManager.default.fileExists(atPath: server.profilesDirectory.appendingPathComponent("phones.yaml").path))
            let json = #"{"name": "phones", "segment_seconds": 4, "renditions": [{"height": 240, "bitrate": "300k"}]}"#
            #expect(try HTTP.request(url, method: "PUT", headers: server.auth, body: json).status == 200)
            let read = try HTTP.request(url, headers: server.auth)
            #expect(read.json["segmentSeconds"] as? Double == 4)
            let list = try HTTP.request(server.url("/v1/profiles"), headers: server.auth).json["profiles"] as? [[String: Any]]
            #expect(list?.compactMap { $0["name"] as? String } == ["default", "mobile", "multicodec", "per-title", "per-title-crf", "phones", "social"])

            let invalid = try HTTP.request(url, method: "PUT", headers: server.auth, body: "renditions:\n  - height: 360\n    bitrate: 600k\n    crf: 20\n")
            #expect(invalid.status == 422)
            #expect(errorBody(invalid).message?.hasPrefix("request body:4: renditions[0].crf: unknown key") == true, "\(invalid.text)")
            let mismatch = try HTTP.request(url, method: "PUT", headers: server.auth, body: "name: other\nrenditions: [{height: 360, bitrate: 1M}]")
            #expect(mismatch.status == 422 && errorBody(mismatch).message?.contains("does not match") == true)
            #expect(try HTTP.request(server.url("/v1/profiles/..%2Fevil"), method: "PUT", headers: server.auth, body: yaml, pathAsIs: true).status == 400)
            #expect(try HTTP.request(url, headers: server.auth).json["segmentSeconds"] as? Double == 4, "a refused PUT changes nothing")

            let upload = try server.upload(try TestMasters.path(TestMasters.silent), profile: "phones")
            #expect(upload.status == 201 && upload.json["profile"] as? String == "phones")
            #expect(try HTTP.request(url, method: "DELETE", headers: server.auth).status == 204)
            #expect(try HTTP.request(url, headers: server.auth).status == 404)
            #expect(try HTTP.request(url, method: "DELETE", headers: server.auth).status == 404)
        }
    }

    @Suite("operations")
    struct OperationsTests {
        @Test("healthz answers, and /metrics has requests by route and status, bytes served, jobs and transcode time")
        func metrics() throws {
            let server = try startServer()
            defer { server.stop() }
            let health = try HTTP.request(server.url("/healthz"))
            #expect(health.status == 200 && health.json["status"] as? String == "ok")
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            try server.waitUntilSettled(id)
            _ = try server.publish(id)
            _ = try HTTP.request(server.url("/stream/\(id)/master.m3u8"))
            _ = try HTTP.request(server.url("/stream/\(id)/nothing.m3u8"))
            let metrics = try HTTP.request(server.url("/metrics"))
            #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains(#"hb_requests{http_route="/stream/{id}/**",http_request_method="GET",http_response_status_code="200"}"#), "\(text.prefix(2000))")
            #expect(text.contains(#"http_response_status_code="404""#))
            #expect(text.contains(#"hb_requests{http_route="/v1/assets",http_request_method="POST",http_response_status_code="201"} 1"#))
            let bytes = text.split(separator: "\n").first { $0.hasPrefix("strata_bytes_served_total ") }.flatMap { Double($0.split(separator: " ")[1]) }
            #expect((bytes ?? 0) > 0)
            #expect(text.contains(#"strata_jobs{state="done"} 1"#))
            #expect(text.contains("strata_transcode_seconds_count 1"))
        }
    }
}

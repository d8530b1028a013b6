import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("hardening: names not paths, If-Range, chunked limits, JSON for every error")
    struct HardeningTests {
        @Test("?profile= is a name: paths are refused with 400 and a stored file's values never reach the client")
        func profileTraversal() throws {
            let server = try startServer()
            defer { server.stop() }
            // Files outside the profiles folder that a path could reach: one valid, one that fails validation.
            let outside = server.profilesDirectory.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outside) }
            try "renditions:\n  - height: 360\n    bitrate: 600k\n".write(to: outside.appendingPathComponent("evil.yaml"), atomically: true, encoding: .utf8)
            try "renditions:\n  - height: 360\n    bitrate: secret-value-42\n".write(to: outside.appendingPathComponent("leak.yaml"), atomically: true, encoding: .utf8)
            let master = try TestMasters.path(TestMasters.silent)
            let folder = outside.lastPathComponent
            for spelling in ["../\(folder)/evil", "..%2F\(folder)%2Fevil", "../\(folder)/leak", "%2e%2e/\(folder)/leak", "/etc/passwd", ".", "..", "default.yaml"] {
                let response = try server.upload(master, profile: spelling)
                #expect(response.status == 400, "\(spelling): \(response.status) \(response.text)")
                #expect(errorBody(response).message?.contains("not a usable profile name") == true, "\(response.text)")
                #expect(!response.text.contains("secret-value-42"))
            }
            // A stored profile that does not validate: named, with the fix, without its values.
            try "renditions:\n  - height: 360\n    bitrate: secret-value-42\n".write(
                to: server.profilesDirectory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
            for response in [try server.upload(master, profile: "broken"), try HTTP.request(server.url("/v1/profiles/broken"), headers: server.auth)] {
                #expect(response.status == 422, "\(response.text)")
                #expect(errorBody(response).message?.contains("stored profile 'broken' is invalid") == true, "\(response.text)")
                #expect(errorBody(response).message?.contains("PUT /v1/profiles/broken") == true)
                #expect(!response.text.contains("secret-value-42"), "\(response.text)")
            }
            let assets = try HTTP.request(server.url("/v1/assets"), headers: server.auth).json["assets"] as? [Any]
            #expect(assets?.isEmpty == true, "no asset was made from a file outside the profiles folder")
        }

        @Test("If-Range: a Range applies only to the current representation (RFC 9110 §13.1.5)")
        func ifRange() throws {
            let server = try startServer()
            defer { server.stop() }
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
            #expect(try server.publish(id).status == 200)
            let url = server.url("/stream/\(id)/video/360p/init.mp4")
            let whole = try HTTP.request(url)
            let tag = try #require(whole.header("etag"))
            let modified = try #require(whole.header("last-modified"), "Last-Modified is sent for date validators")
            Thread.sleep(forTimeInterval: 1.1)  // a Last-Modified date is a strong validator once a second old (§8.8.2.2)
            for (validator, partial) in [(tag, true), (modified, true), ("\"wrong-etag\"", false), ("W/\(tag)", false),
                                         ("Sun, 06 Nov 1994 08:49:37 GMT", false), ("garbage", false)] {
                let response = try HTTP.request(url, headers: ["Range": "bytes=0-1", "If-Range": validator])
                if partial {
                    #expect(response.status == 206 && response.body.count == 2, "If-Range \(validator): \(response.status)")
                } else {
                    #expect(response.status == 200 && response.body == whole.body, "If-Range \(validator): \(response.status)")
                }
            }
        }

        @Test("a chunked upload over --max-upload is 413 with a clean message and nothing is kept")
        func chunkedTooLarge() throws {
            let server = try startServer(["--max-upload", "100k"])
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.pal)
            let response = try HTTP.request(server.url("/v1/assets"), method: "POST",
                                            headers: server.auth.merging(["Transfer-Encoding": "chunked"]) { $1 }, bodyFile: URL(fileURLWithPath: master))
            #expect(response.status == 413, "\(response.text)")
            #expect(errorBody(response).code == "too_large")
            #expect(errorBody(response).message == "the upload is larger than this server accepts (102400 bytes)")
            for folder in ["uploads", "assets"] {
                let left = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.appendingPathComponent(folder).path)
                #expect(left.isEmpty, "\(folder): \(left)")
            }
            #expect(try HTTP.request(server.url("/healthz")).status == 200)
        }

        @Test("a failed asset's error names the problem without the server's own folders")
        func failedAssetMessage() throws {
            let server = try startServer()
            defer { server.stop() }
            let folder = try makeTemporaryDirectory("cut-master")
            defer { try? FileManager.default.removeItem(at: folder) }
            let whole = folder.appendingPathComponent("faststart.mp4")
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", try TestMasters.path(TestMasters.pal), "-c", "copy", "-movflags", "+faststart", whole.path])
            let data = try Data(contentsOf: whole)
            let cut = folder.appendingPathComponent("cut.mp4")
            try data.prefix(data.count / 2).write(to: cut)
            let id = try #require(try server.upload(cut.path).json["id"] as? String)
            let asset = try server.waitUntilSettled(id)
            let message = try #require((asset["error"] as? [String: Any])?["message"] as? String, "\(asset)")
            #expect(asset["status"] as? String == "failed")
            #expect(message.contains("truncated or damaged"), "\(message)")
            #expect(!message.contains(server.dataDirectory.path) && !message.contains(FileManager.default.temporaryDirectory.path), "\(message)")
        }

        @Test("errors outside the routes are JSON too: unknown routes and methods, requests that are not HTTP")
        func jsonEverywhere() throws {
            let server = try startServer()
            defer { server.stop() }
            for (method, path, headers) in [("GET", "/nothing", [:]), ("GET", "/v1/nothing", server.auth), ("PATCH", "/v1/assets", server.auth)] {
                let response = try HTTP.request(server.url(path), method: method, headers: headers)
                #expect(response.status >= 400 && response.status < 500, "\(method) \(path)")
                #expect(response.header("content-type")?.hasPrefix("application/json") == true, "\(method) \(path): \(response.text)")
                #expect(errorBody(response).code?.isEmpty == false && errorBody(response).message?.isEmpty == false, "\(response.text)")
            }
            // Not HTTP at all, and a head over the decoder's limit: still the JSON error, then the connection closes.
            for (request, status) in [("GARBAGE\r\n\r\n", "400"), ("GET /healthz HTTP/1.1\r\nX: \(String(repeating: "a", count: 100_000))\r\n\r\n", "431")] {
                let connection = try RawConnection(port: server.port)
                try connection.send(request)
                let answer = connection.readToEnd()
                #expect(answer.hasPrefix("HTTP/1.1 \(status) "), "\(answer)")
                #expect(answer.contains("application/json") && answer.contains(#"{"error":{"code":"#), "\(answer)")
            }
        }
    }
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("player routes: access, paths and HTTP semantics")
    struct HTTPSemanticsTests {
        /// A server with one published asset (the PAL master) and its package folder.
        func published() throws -> (ServerProcess, String, URL) {
            let server = try startServer()
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.pal)).json["id"] as? String)
            try server.waitUntilSettled(id)
            #expect(try server.publish(id).status == 200)
            return (server, id, server.dataDirectory.appendingPathComponent("assets/\(id)/v1"))
        }

        @Test("the API needs the bearer token: 401 with a JSON error otherwise")
        func unauthorized() throws {
            let server = try startServer()
            defer { server.stop() }
            for headers in [[:], ["Authorization": "Bearer wrong"], ["Authorization": "Basic dGVzdA=="]] {
                for (method, path) in [("GET", "/v1/assets"), ("POST", "/v1/assets"), ("GET", "/v1/profiles"), ("DELETE", "/v1/assets/x")] {
                    let response = try HTTP.request(server.url(path), method: method, headers: headers)
                    #expect(response.status == 401, "\(method) \(path) with \(headers)")
                    #expect(errorBody(response).code == "unauthorized" && errorBody(response).message?.isEmpty == false)
                    #expect(response.header("www-authenticate")?.hasPrefix("Bearer") == true)
                    #expect(response.header("content-type")?.hasPrefix("application/json") == true)
                }
            }
            #expect(try HTTP.request(server.url("/v1/assets"), headers: server.auth).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/nope"), headers: server.auth).status == 404)
        }

        @Test("unknown or unpublished assets are 404 to players; published ones serve every file type")
        func visibility() throws {
            let (server, id, _) = try published()
            defer { server.stop() }
            #expect(try HTTP.request(server.url("/stream/doesnotexist/master.m3u8")).status == 404)
            let types = [
                ("master.m3u8", "application/vnd.apple.mpegurl"), ("manifest.mpd", "application/dash+xml"),
                ("video/540p/init.mp4", "video/mp4"), ("video/540p/seg-1.m4s", "video/mp4"),
                ("audio/und/seg-1.m4s", "audio/mp4"), ("video/540p/iframes.m3u8", "application/vnd.apple.mpegurl"),
            ]
            for (path, type) in types {
                let response = try HTTP.request(server.url("/stream/\(id)/\(path)"))
                #expect(response.status == 200, "\(path)")
                #expect(response.header("content-type") == type, "\(path): \(response.header("content-type") ?? "none")")
                let manifest = path.hasSuffix(".m3u8") || path.hasSuffix(".mpd")
                #expect(response.header("cache-control") == (manifest ? "public, max-age=10" : "public, max-age=31536000, immutable"))
            }
            #expect(try HTTP.request(server.url("/stream/\(id)/package.json")).status == 404, "the facts file is not for players")
            #expect(try HTTP.request(server.url("/stream/\(id)/video/540p/nothing.m4s")).status == 404)
            _ = try HTTP.request(server.url("/v1/assets/\(id)/unpublish"), method: "POST", headers: server.auth)
            #expect(try HTTP.request(server.url("/stream/\(id)/master.m3u8")).status == 404)
        }

        static let traversals = [
            "../../strata.sqlite", "../master", "..%2F..%2Fstrata.sqlite", "%2e%2e/%2e%2e/strata.sqlite", "%2E%2E/master",
            "video/..%2f..%2f..%2fstrata.sqlite", "video/540p/../../../master", "%2Fetc%2Fpasswd", "/etc/passwd",
            "..\\..\\strata.sqlite", "video%5c..%5c..%5cmaster", "video/540p/%00seg-1.m4s", "./master.m3u8",
            "package.json", ".v1.partial-1/master.m3u8", "linked/passwd.m3u8", "%252e%252e/master",
        ]

        @Test("no path outside the package can be read: every spelling of '..', encoded separators, absolute paths, symlinks")
        func traversal() throws {
            let (server, id, package) = try published()
            defer { server.stop() }
            // A symbolic link inside the package pointing out of it must not be followed.
            try FileManager.default.createDirectory(at: package.appendingPathComponent("linked"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: package.appendingPathComponent("linked/passwd.m3u8").path, withDestinationPath: "/etc/passwd")
            for path in Self.traversals {
                let response = try HTTP.request(server.url("/stream/\(id)/\(path)"), pathAsIs: true)
                #expect(response.status == 400 || response.status == 404, "\(path) → \(response.status)")
                let body = response.text
                for secret in ["SQLite format 3", "root:", "\"targetSegmentSeconds\"", "ftyp"] {
                    #expect(!body.contains(secret), "\(path) leaked file contents")
                }
            }
        }

        @Test("byte ranges return exactly the requested bytes; unsatisfiable ones are 416")
        func ranges() throws {
            let (server, id, package) = try published()
            defer { server.stop() }
            let file = try Data(contentsOf: package.appendingPathComponent("video/540p/seg-1.m4s"))
            let url = server.url("/stream/\(id)/video/540p/seg-1.m4s")
            let cases: [(String, Range<Int>)] = [
                ("bytes=0-99", 0..<100), ("bytes=1000-1999", 1000..<2000), ("bytes=\(file.count - 10)-", (file.count - 10)..<file.count),
                ("bytes=-500", (file.count - 500)..<file.count), ("bytes=\(file.count - 5)-\(file.count + 100)", (file.count - 5)..<file.count),
            ]
            for (header, expected) in cases {
                let response = try HTTP.request(url, headers: ["Range": header])
                #expect(response.status == 206, "\(header)")
                #expect(response.body == file.subdata(in: expected), "\(header) returned other bytes")
                #expect(response.header("content-range") == "bytes \(expected.lowerBound)-\(expected.upperBound - 1)/\(file.count)")
                #expect(response.header("content-length") == String(expected.count))
            }
            for header in ["bytes=\(file.count)-", "bytes=\(file.count + 10)-\(file.count + 20)", "bytes=-0"] {
                let response = try HTTP.request(url, headers: ["Range": header])
                #expect(response.status == 416, "\(header)")
                #expect(response.header("content-range") == "bytes */\(file.count)")
            }
            let whole = try HTTP.request(url, headers: ["Range": "bytes=0-1,5-6"])
            #expect(whole.status == 200 && whole.body == file, "several ranges: the whole file")
            let head = try HTTP.request(url, method: "HEAD")
            #expect(head.status == 200 && head.header("content-length") == String(file.count) && head.body.isEmpty)
            #expect(head.header("accept-ranges") == "bytes")
        }

        @Test("ETag and If-None-Match give 304; manifests are gzipped for clients that accept it; CORS for web players")
        func caching() throws {
            let (server, id, package) = try published()
            defer { server.stop() }
            let url = server.url("/stream/\(id)/manifest.mpd")
            let plain = try HTTP.request(url)
            let tag = try #require(plain.header("etag"))
            #expect(try HTTP.request(url, headers: ["If-None-Match": tag]).status == 304)
            #expect(try HTTP.request(url, headers: ["If-None-Match": "\"other\", \(tag)"]).status == 304)
            #expect(try HTTP.request(url, headers: ["If-None-Match": "\"other\""]).status == 200)
            let zipped = try HTTP.request(url, headers: ["Accept-Encoding": "gzip"])
            #expect(zipped.header("content-encoding") == "gzip" && zipped.header("vary") == "Accept-Encoding")
            #expect(zipped.body.count < plain.body.count)
            let unzipped = FileManager.default.temporaryDirectory.appendingPathComponent("strata-gz-\(UUID().uuidString)")
            try zipped.body.write(to: unzipped.appendingPathExtension("gz"))
            try ToolRunner.require("gzip", ["-d", unzipped.appendingPathExtension("gz").path])
            #expect(try Data(contentsOf: unzipped) == Data(contentsOf: package.appendingPathComponent("manifest.mpd")))
            try? FileManager.default.removeItem(at: unzipped)
            #expect(try HTTP.request(url, headers: ["Accept-Encoding": "gzip;q=0"]).header("content-encoding") == nil)
            #expect(try HTTP.request(server.url("/stream/\(id)/video/540p/seg-1.m4s"), headers: ["Accept-Encoding": "gzip"])
                .header("content-encoding") == nil, "segments are already compressed")

            let cors = try HTTP.request(url, headers: ["Origin": "https://player.example"])
            #expect(cors.header("access-control-allow-origin") == "*")
            let preflight = try HTTP.request(url, method: "OPTIONS", headers: [
                "Origin": "https://player.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range"])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-methods")?.contains("GET") == true)
            #expect(preflight.header("access-control-allow-headers")?.lowercased().contains("range") == true)
            let missing = try HTTP.request(server.url("/stream/\(id)/nothing.m3u8"), headers: ["Origin": "https://player.example"])
            #expect(missing.status == 404 && missing.header("access-control-allow-origin") == "*", "errors carry CORS too")
        }
    }
}

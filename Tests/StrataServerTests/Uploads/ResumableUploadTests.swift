import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("resumable uploads (tus 1.0) with the stock tuspy client")
    struct ResumableUploadTests {
        @Test("tuspy uploads a master in checksummed chunks; the last byte makes an asset like a raw upload")
        func tuspyUpload() throws {
            let server = try startServer()
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.silent)
            let (url, offset) = try TusClient.upload(master, endpoint: server.url("/v1/uploads"), token: server.token,
                                                     metadata: ["profile": "mobile", "title": "Hotel Wi-Fi"], chunkSize: 64 << 10)
            #expect(offset == fileSize(master))
            let upload = try HTTP.request(url, headers: server.auth)
            #expect(upload.status == 200, "\(upload.text)")
            let id = try #require(upload.json["asset"] as? String, "\(upload.text)")
            let head = try HTTP.request(url, method: "HEAD", headers: server.tus)
            #expect(head.header("Upload-Offset") == "\(offset)")
            #expect(head.header("Strata-Asset-Id") == id)
            let asset = try server.waitUntilSettled(id)
            #expect(asset["status"] as? String == "ready", "\(asset)")
            #expect(asset["title"] as? String == "Hotel Wi-Fi")
            #expect(asset["profile"] as? String == "mobile")
            #expect(try sha256(server.master(of: id)) == sha256(master))
            // The upload's file moved into the asset: nothing is left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty)
        }

        @Test("after kill -9 mid-chunk, HEAD reports the durable offset and tuspy resumes to a byte-identical master")
        func resumeAfterCrash() throws {
            let data = try makeTemporaryDirectory("tus-crash")
            var server = try startServer(data: data)
            let master = try TestMasters.path(TestMasters.pal)
            let size = fileSize(master)
            try #require(size > (512 << 10) + (1 << 20), "the master must be larger than the chunks sent before the crash")
            // One acknowledged chunk, then a PATCH that dies mid-body with the server.
            let (url, acknowledged) = try TusClient.upload(master, endpoint: server.url("/v1/uploads"), token: server.token,
                                                           metadata: ["title": "interrupted"], chunkSize: 256 << 10, stopAt: 512 << 10)
            #expect(acknowledged == 512 << 10)
            let stalled = try TusClient.startStalledPatch(master, url: url, token: server.token, offset: acknowledged, sendBytes: 1 << 20)
            defer { stalled.terminate() }
            server.crash()
            server = try startServer(data: data)
            defer { server.stop() }
            let path = String(url[try #require(url.range(of: "/v1/uploads/")).lowerBound...])
            let head = try HTTP.request(server.url(path), method: "HEAD", headers: server.tus)
            #expect(head.status == 200)
            let durable = try #require(head.header("Upload-Offset").flatMap(Int.init))
            #expect(durable >= acknowledged && durable <= acknowledged + (1 << 20), "HEAD reported \(durable)")
            #expect(head.header("Upload-Length") == "\(size)")
            let (_, finished) = try TusClient.resume(master, url: server.url(path), token: server.token)
            #expect(finished == size)
            let id = try #require(try HTTP.request(server.url(path), headers: server.auth).json["asset"] as? String)
            #expect(try sha256(server.master(of: id)) == sha256(master))
            #expect(try server.asset(id)["title"] as? String == "interrupted")
        }

        @Test("wrong offset 409, bad checksum 460 (chunk discarded), too large 413, wrong version 412, ids are names")
        func protocolErrors() throws {
            let server = try startServer(["--max-upload", "100k"])
            defer { server.stop() }
            let options = try HTTP.request(server.url("/v1/uploads"), method: "OPTIONS", headers: server.auth)
            #expect(options.status == 204)
            #expect(options.header("Tus-Version") == "1.0.0")
            #expect(options.header("Tus-Max-Size") == "\(100 << 10)")
            #expect(options.header("Tus-Extension")?.contains("creation-with-upload") == true)
            #expect(options.header("Tus-Checksum-Algorithm")?.contains("sha256") == true)

            // Over --max-upload: refused on creation, nothing stored.
            let big = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging(["Upload-Length": "\(200 << 10)"]) { $1 })
            #expect(big.status == 413, "\(big.text)")
            #expect(errorBody(big).code == "too_large")
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty)
            #expect(try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.auth.merging(["Upload-Length": "10"]) { $1 }).status == 412)
            #expect(try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: ["Tus-Resumable": "1.0.0", "Upload-Length": "10"]).status == 401)
            let unknownProfile = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging([
                "Upload-Length": "10", "Upload-Metadata": "profile \(Data("../../etc".utf8).base64EncodedString())"]) { $1 })
            #expect(unknownProfile.status == 400 || unknownProfile.status == 404, "\(unknownProfile.text)")

            // creation-with-upload: the first 5 bytes ride on the POST.
            let created = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging([
                "Upload-Length": "20", "Content-Type": "application/offset+octet-stream"]) { $1 }, body: "hello")
            #expect(created.status == 201, "\(created.text)")
            #expect(created.header("Upload-Offset") == "5")
            #expect(created.header("Upload-Expires")?.hasSuffix("GMT") == true)
            let location = try #require(created.header("Location"))
            let chunk = server.tus.merging(["Content-Type": "application/offset+octet-stream"]) { $1 }

            let wrongOffset = try HTTP.request(location, method: "PATCH", headers: chunk.merging(["Upload-Offset": "0"]) { $1 }, body: "world")
            #expect(wrongOffset.status == 409)
            #expect(errorBody(wrongOffset).code == "offset_mismatch")

            let badSum = try HTTP.request(location, method: "PATCH", headers: chunk.merging([
                "Upload-Offset": "5", "Upload-Checksum": "sha256 \(Data(repeating: 0, count: 32).base64EncodedString())"]) { $1 }, body: "world")
            #expect(badSum.status == 460, "\(badSum.text)")
            #expect(errorBody(badSum).code == "checksum_mismatch")
            #expect(try HTTP.request(location, method: "HEAD", headers: server.tus).header("Upload-Offset") == "5")
            let id = String(location.split(separator: "/").last!)
            #expect(fileSize(server.tusFolder.appendingPathComponent(id).path) == 5, "the bad chunk was discarded")

            // md5 of "world", computed by an independent tool.
            let md5 = try ToolRunner.require("sh", ["-c", "printf world | openssl dgst -md5 -binary | base64"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let goodSum = try HTTP.request(location, method: "PATCH", headers: chunk.merging([
                "Upload-Offset": "5", "Upload-Checksum": "md5 \(md5)"]) { $1 }, body: "world")
            #expect(goodSum.status == 204, "\(goodSum.text)")
            #expect(goodSum.header("Upload-Offset") == "10")
            #expect(goodSum.header("Tus-Resumable") == "1.0.0")

            let pastEnd = try HTTP.request(location, method: "PATCH", headers: chunk.merging(["Upload-Offset": "10"]) { $1 },
                                           body: String(repeating: "x", count: 11))
            #expect(pastEnd.status == 413)
            #expect(try HTTP.request(location, method: "HEAD", headers: server.tus).header("Upload-Offset") == "10")
            #expect(try HTTP.request(location, method: "PATCH", headers: server.tus.merging(["Upload-Offset": "10"]) { $1 }, body: "x").status == 415)

            // Ids are names: anything else is 404 and touches no file.
            for name in ["..%2F..%2Fstrata.sqlite", "%2E%2E", String(repeating: "A", count: 32), "strata.sqlite"] {
                let response = try HTTP.request(server.url("/v1/uploads/\(name)"), method: "DELETE", headers: server.tus, pathAsIs: true)
                #expect(response.status == 404, "\(name): \(response.status)")
            }
            #expect(FileManager.default.fileExists(atPath: server.dataDirectory.appendingPathComponent("strata.sqlite").path))

            // Termination removes the upload and its bytes.
            #expect(try HTTP.request(location, method: "DELETE", headers: server.tus).status == 204)
            #expect(try HTTP.request(location, method: "HEAD", headers: server.tus).status == 404)
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty)
        }

        @Test("a body past Upload-Length after a durable checkpoint: 413, and neither the bytes nor the checkpoint are kept")
        func overflowAfterCheckpoint() throws {
            let server = try startServer()
            defer { server.stop() }
            let created = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging(["Upload-Length": "\(5 << 20)"]) { $1 })
            let location = try #require(created.header("Location"), "\(created.text)")
            // 6 MiB into a 5 MiB upload: the server checkpoints (fsync + offset) at 4 MiB before the body overflows.
            let body = try makeTemporaryDirectory("tus-overflow").appendingPathComponent("body")
            try Data(repeating: 7, count: 6 << 20).write(to: body)
            let status = try ToolRunner.require("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH",
                                                         "-H", "Authorization: Bearer \(server.token)", "-H", "Tus-Resumable: 1.0.0",
                                                         "-H", "Upload-Offset: 0", "-H", "Content-Type: application/offset+octet-stream",
                                                         "--data-binary", "@\(body.path)", location]).stdout
            #expect(status == "413")
            #expect(try HTTP.request(location, method: "HEAD", headers: server.tus).header("Upload-Offset") == "0")
            #expect(fileSize(server.tusFolder.appendingPathComponent(String(location.split(separator: "/").last!)).path) == 0)
        }

        @Test("the sweeper removes incomplete uploads once they expire")
        func expiry() throws {
            let server = try startServer(["--upload-expiry", "1"])
            defer { server.stop() }
            let created = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging([
                "Upload-Length": "20", "Content-Type": "application/offset+octet-stream"]) { $1 }, body: "hello")
            #expect(created.status == 201)
            let location = try #require(created.header("Location"))
            // Wait for the sweeper (not for a request) to remove the file.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, !(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty) {
                Thread.sleep(forTimeInterval: 0.2)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty)
            #expect(try HTTP.request(location, method: "HEAD", headers: server.tus).status == 404)
        }
    }
}

extension ServerProcess {
    /// The API token and `Tus-Resumable`, what every tus request carries.
    var tus: [String: String] { auth.merging(["Tus-Resumable": "1.0.0"]) { $1 } }
    var tusFolder: URL { dataDirectory.appendingPathComponent("tus") }
    func master(of asset: String) -> String { dataDirectory.appendingPathComponent("assets/\(asset)/master").path }
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
}

/// sha256 as `sha256sum` (not our code) computes it.
func sha256(_ path: String) throws -> String {
    String(try ToolRunner.require("sha256sum", [path]).stdout.prefix(64))
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("direct uploads: one-time tus URLs for browsers")
    struct DirectUploadTests {
        @Test("a browser-side tus client uploads without the API token, once; the asset is reported by id")
        func directUpload() throws {
            let server = try startServer()
            defer { server.stop() }
            let created = try HTTP.request(server.url("/v1/direct-uploads"), method: "POST", headers: server.auth,
                                           body: #"{"title": "From the browser", "profile": "mobile", "corsOrigin": "https://app.example"}"#)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let url = try #require(created.json["url"] as? String)
            #expect(url == server.url("/direct-uploads/\(id)"))
            #expect(id.count == 32)
            #expect(try HTTP.request(server.url("/v1/direct-uploads"), method: "POST", body: "{}").status == 401)

            // tuspy with no token at all.
            let master = try TestMasters.path(TestMasters.silent)
            let (uploadURL, offset) = try TusClient.upload(master, endpoint: url, token: nil, chunkSize: 128 << 10)
            #expect(offset == fileSize(master))
            #expect(uploadURL.hasPrefix(url + "/"))
            let status = try HTTP.request(server.url("/v1/direct-uploads/\(id)"), headers: server.auth)
            #expect(status.json["status"] as? String == "complete", "\(status.text)")
            let asset = try #require(status.json["asset"] as? String)
            let record = try server.asset(asset)
            #expect(record["title"] as? String == "From the browser")
            #expect(record["profile"] as? String == "mobile")
            #expect(try sha256(server.master(of: asset)) == sha256(master))

            // One time only; other origins, unknown ids and other uploads are refused.
            let again = try HTTP.request(url, method: "POST", headers: ["Tus-Resumable": "1.0.0", "Upload-Length": "10"])
            #expect(again.status == 409, "\(again.text)")
            let elsewhere = try HTTP.request(uploadURL, method: "HEAD", headers: ["Tus-Resumable": "1.0.0", "Origin": "https://evil.example"])
            #expect(elsewhere.status == 403)
            #expect(try HTTP.request(uploadURL, method: "HEAD", headers: ["Tus-Resumable": "1.0.0", "Origin": "https://app.example"]).status == 200)
            #expect(try HTTP.request(server.url("/direct-uploads/\(String(repeating: "a", count: 32))"), method: "POST",
                                     headers: ["Tus-Resumable": "1.0.0", "Upload-Length": "10"]).status == 404)
            let other = try #require(try HTTP.request(server.url("/v1/uploads"), method: "POST",
                                                      headers: server.tus.merging(["Upload-Length": "10"]) { $1 }).header("Location"))
            let otherID = String(other.split(separator: "/").last!)
            #expect(try HTTP.request("\(url)/\(otherID)", method: "HEAD", headers: ["Tus-Resumable": "1.0.0"]).status == 404,
                    "a direct-upload URL reaches only its own upload")
        }
    }
}

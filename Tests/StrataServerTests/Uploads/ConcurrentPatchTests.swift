import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("one writer per resumable upload")
    struct ConcurrentPatchTests {
        @Test("while a PATCH is writing, another PATCH or a DELETE gets 423 upload_busy; once its client is gone the upload resumes")
        func secondWriterRefused() throws {
            let server = try startServer()
            defer { server.stop() }
            let file = try makeTemporaryDirectory("tus-concurrent").appendingPathComponent("body")
            try Data(repeating: 3, count: 1 << 20).write(to: file)
            let created = try HTTP.request(server.url("/v1/uploads"), method: "POST", headers: server.tus.merging(["Upload-Length": "\(1 << 20)"]) { $1 })
            let location = try #require(created.header("Location"), "\(created.text)")
            let stalled = try TusClient.startStalledPatch(file.path, url: location, token: server.token, offset: 0, sendBytes: 64 << 10)
            // SIGKILL: the client dies as on a lost device (and whatever signals the test process ignores, this one ends it).
            defer { kill(stalled.processIdentifier, SIGKILL) }
            let chunk = server.tus.merging(["Content-Type": "application/offset+octet-stream"]) { $1 }

            // A wrong Upload-Offset is answered 409 once the lock is free, so this second PATCH never writes; it gets 423
            // as soon as the stalled PATCH's request has reached the server and holds the upload.
            var second = try HTTP.request(location, method: "PATCH", headers: chunk.merging(["Upload-Offset": "999"]) { $1 }, body: "0123456789")
            let deadline = Date().addingTimeInterval(60)
            while second.status == 409, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                second = try HTTP.request(location, method: "PATCH", headers: chunk.merging(["Upload-Offset": "999"]) { $1 }, body: "0123456789")
            }
            #expect(second.status == 423, "\(second.text)")
            #expect(errorBody(second).code == "upload_busy")
            let delete = try HTTP.request(location, method: "DELETE", headers: server.tus)
            #expect(delete.status == 423, "\(delete.text)")

            // The stalled client dies: the server keeps what arrived, gives the upload back, and the next PATCH resumes.
            kill(stalled.processIdentifier, SIGKILL)
            stalled.waitUntilExit()
            var resumed: HTTPResponse?
            var offset = -1
            while Date() < deadline {
                offset = try #require(try HTTP.request(location, method: "HEAD", headers: server.tus).header("Upload-Offset").flatMap(Int.init))
                let attempt = try HTTP.request(location, method: "PATCH", headers: chunk.merging(["Upload-Offset": "\(offset)"]) { $1 }, body: "0123456789")
                guard attempt.status == 423 || attempt.status == 409 else {
                    resumed = attempt
                    break
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(resumed?.status == 204, "\(resumed?.text ?? "still busy")")
            #expect(resumed?.header("Upload-Offset") == "\(offset + 10)")
            #expect(offset <= 64 << 10)
        }
    }
}

import Foundation
import Testing
import TestSupport

/// A small tmpfs mounted for one test's `--data`, so the disk can really be filled.
struct SmallDisk {
    let mountPoint: URL

    /// True where this process may mount a tmpfs (root in a container that allows it, as CI runs the tests).
    static let canMount: Bool = {
        guard let disk = try? SmallDisk(megabytes: 1) else { return false }
        disk.unmount()
        return true
    }()

    init(megabytes: Int) throws {
        mountPoint = try makeTemporaryDirectory("small-disk")
        let result = try ToolRunner.run("mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", mountPoint.path], timeout: 30)
        guard result.succeeded else { throw ToolError("cannot mount a tmpfs: \(result.stderr)") }
    }

    /// Fills the disk until at most `leaving` bytes are free; returns the filler to delete later.
    @discardableResult
    func fill(leaving: Int = 0) throws -> URL {
        let filler = mountPoint.appendingPathComponent("filler-\(UUID().uuidString.prefix(6))")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        var chunk = 1 << 20
        while chunk >= 1 {
            let free = freeBytes()
            if free <= leaving { break }
            do {
                try handle.write(contentsOf: Data(count: min(chunk, max(1, free - leaving))))
            } catch {
                chunk /= 4  // ENOSPC: fill what is left with smaller pieces
            }
        }
        return filler
    }

    func freeBytes() -> Int {
        var info = statvfs()
        guard statvfs(mountPoint.path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    func unmount() {
        _ = try? ToolRunner.run("umount", ["-l", mountPoint.path], timeout: 30)
        try? FileManager.default.removeItem(at: mountPoint)
    }
}

extension ServerSuite {
    @Suite("a full disk: 507 with the JSON error body, a log line, nothing kept",
           .enabled(if: SmallDisk.canMount, "skipped: this sandbox cannot mount a tmpfs (needs root with CAP_SYS_ADMIN)"))
    struct DiskFullTests {
        @Test("an upload that fills the disk is 507 and leaves no file; with space again the same upload works")
        func upload() throws {
            let disk = try SmallDisk(megabytes: 16)
            defer { disk.unmount() }
            let server = try startServer(data: disk.mountPoint.appendingPathComponent("data"), keepLog: true)
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.pal)  // about 2 MB
            let filler = try disk.fill(leaving: 512 * 1024)
            let refused = try server.upload(master)
            #expect(refused.status == 507, "\(refused.status) \(refused.text)")
            #expect(errorBody(refused).code == "insufficient_storage")
            #expect(errorBody(refused).message?.contains("disk is full") == true, "\(refused.text)")
            let uploads = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.appendingPathComponent("uploads").path)
            #expect(uploads.isEmpty, "left behind: \(uploads)")
            #expect(server.log.contains("the disk is full"), "\(server.log)")
            try FileManager.default.removeItem(at: filler)
            #expect(try server.upload(master).status == 201, "the server carries on once there is space")
        }

        @Test("publish and unpublish with 0 bytes free answer the JSON error and log it, then work again")
        func databaseWrite() throws {
            let disk = try SmallDisk(megabytes: 24)
            defer { disk.unmount() }
            let server = try startServer(data: disk.mountPoint.appendingPathComponent("data"), keepLog: true)
            defer { server.stop() }
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
            let filler = try disk.fill()
            for action in ["publish", "unpublish"] {
                let response = try HTTP.request(server.url("/v1/assets/\(id)/\(action)"), method: "POST", headers: server.auth)
                #expect(response.status == 507, "\(action): \(response.status) '\(response.text)'")
                #expect(response.header("content-type")?.hasPrefix("application/json") == true)
                #expect(errorBody(response).code == "insufficient_storage" && errorBody(response).message?.contains("disk is full") == true,
                        "\(response.text)")
            }
            #expect(server.log.contains("request failed"), "the failure is logged: \(server.log)")
            try FileManager.default.removeItem(at: filler)
            #expect(try server.publish(id).status == 200)
        }
    }
}

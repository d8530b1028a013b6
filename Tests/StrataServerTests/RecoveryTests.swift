import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("durable jobs: crashes and shutdowns lose no work")
    struct RecoveryTests {
        /// Waits until the asset's transcode is writing segments into its staging folder.
        func waitUntilEncoding(_ server: ServerProcess, _ id: String) throws {
            let folder = server.dataDirectory.appendingPathComponent("assets/\(id)")
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let staging = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".v1.partial-") }
                if let name = staging.first,
                   FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name)/video/360p/seg-1.m4s").path) {
                    #expect(try server.asset(id)["status"] as? String == "processing")
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("the transcode never started writing segments")
        }

        /// Every file of a package, relative, with playlists' segment durations, for comparing structure.
        func structure(of package: URL) throws -> [String] {
            let files = (FileManager.default.enumerator(atPath: package.path)?.allObjects as? [String] ?? [])
                .filter { !$0.hasSuffix("package.json") && !FileManager.default.isDirectory(package.appendingPathComponent($0)) }.sorted()
            let playlists = try files.filter { $0.hasSuffix("index.m3u8") }.map { path in
                "\(path): " + (try MediaPlaylistFile(contentsOf: package.appendingPathComponent(path))).entries.map { String(format: "%.3f", $0.duration) }.joined(separator: ",")
            }
            return files + playlists
        }

        @Test("kill -9 during a transcode: the restarted server finishes the job, with the same structure as a clean run")
        func crash() throws {
            let data = try makeTemporaryDirectory("crash")
            let master = try TestMasters.path(TestMasters.hd1080)
            var server = try startServer(data: data)
            let id = try #require(try server.upload(master).json["id"] as? String)
            try waitUntilEncoding(server, id)
            server.crash()
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("assets/\(id)/v1").path), "no package yet")

            server = try startServer(data: data)
            defer { server.stop() }
            let finished = try server.waitUntilSettled(id)
            #expect(finished["status"] as? String == "ready", "\(finished)")
            let package = data.appendingPathComponent("assets/\(id)/v1")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("assets/\(id)").path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty, "staging folders left: \(leftovers)")

            let reference = try makeTemporaryDirectory("crash-reference").appendingPathComponent("package")
            let clean = try StrataBinary.run(["transcode", master, "--output", reference.path])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(try structure(of: package) == structure(of: reference))
            #expect(try server.publish(id).status == 200)
            var players = PlayerChecks(baseURL: server.url("/stream/\(id)"), masterDuration: 8, videoFrameRate: 30)
            try players.run()
            #expect(players.problems.isEmpty, "\(players.problems.joined(separator: "\n"))")
        }

        @Test("SIGTERM during a transcode: a clean exit, the job goes back to the queue and completes after restart")
        func gracefulShutdown() throws {
            let data = try makeTemporaryDirectory("sigterm")
            var server = try startServer(data: data)
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.hd1080)).json["id"] as? String)
            try waitUntilEncoding(server, id)
            let started = Date()
            #expect(server.stop() == 0)
            #expect(Date().timeIntervalSince(started) < 20, "shutdown should not wait for the transcode to finish")
            let folder = data.appendingPathComponent("assets/\(id)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".v1") }.isEmpty,
                    "a cancelled transcode removes its staging folder")

            server = try startServer(data: data)
            defer { server.stop() }
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
        }
    }
}

extension FileManager {
    func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}

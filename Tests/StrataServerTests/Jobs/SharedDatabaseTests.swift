import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("shared PostgreSQL database: two API servers and a worker serve one library")
    struct SharedDatabaseTests {
        /// Polls `url` until it answers `status`; returns how long that took, or throws after `timeout`.
        @discardableResult
        func waitForStatus(_ status: Int, at url: String, timeout: Double = 20) throws -> Double {
            let started = Date()
            while Date().timeIntervalSince(started) < timeout {
                if try HTTP.request(url).status == status { return Date().timeIntervalSince(started) }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw ToolError("\(url) never answered \(status)")
        }

        /// The process id of the API server whose job runner holds the asset's job, once it holds one.
        func jobHolder(_ cluster: PostgresCluster, asset: String) throws -> Int32 {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let worker = try cluster.psql("SELECT worker FROM strata_job WHERE asset_id = '\(asset)' AND state = 'running'")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if let pid = worker.split(separator: ".").first.flatMap({ Int32($0) }) { return pid }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("no API server took the job of \(asset)")
        }

        @Test("an asset uploaded to one server is published and played through the other; a server killed mid-job is taken over")
        func twoServers() throws {
            let cluster = try PostgresCluster()
            defer { cluster.stop() }
            let data = try makeTemporaryDirectory("shared-database")
            let arguments = ["--database", cluster.url, "--workers", "0", "--lease-seconds", "3"]
            let first = try startServer(arguments, data: data)
            defer { first.stop() }
            // An upload the first server is receiving survives the second one's start; one nobody wrote to for two hours does not.
            let uploads = data.appendingPathComponent("uploads")
            let (live, stale) = (uploads.appendingPathComponent("live"), uploads.appendingPathComponent("stale"))
            for file in [live, stale] { try Data("partial".utf8).write(to: file) }
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: stale.path)
            let second = try startServer(arguments, data: data, keepLog: true)
            #expect(FileManager.default.fileExists(atPath: live.path) && !FileManager.default.fileExists(atPath: stale.path))
            defer { second.stop() }
            let worker = try WorkerProcess(queue: cluster.url, data: data, name: "w1", leaseSeconds: 3)
            defer { worker.stop() }

            // One library: what one server records, the other shows.
            let id = try #require(try first.upload(try TestMasters.path(TestMasters.oddSize), title: "shared").json["id"] as? String)
            #expect(try second.asset(id)["title"] as? String == "shared")
            let listed = try HTTP.request(second.url("/v1/assets"), headers: second.auth).json["assets"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try second.publish(id).status == 200)
            let ready = try first.waitUntilSettled(id, timeout: 300)
            #expect(ready["status"] as? String == "ready", "\(ready)\n\(second.log.suffix(3000))")
            // Published through the second server, playable from both: each follows the database's announcements.
            for server in [first, second] {
                try waitForStatus(200, at: server.url("/stream/\(id)/master.m3u8"))
                let played = try Players.ffmpegDecode(server.url("/stream/\(id)/manifest.mpd"))
                #expect(played.status == 0 && played.stderr.isEmpty, "\(played.stderr.suffix(2000))")
            }
            // Unpublished through the first: the second stops serving it.
            #expect(try HTTP.request(first.url("/v1/assets/\(id)/unpublish"), method: "POST", headers: first.auth).status == 200)
            try waitForStatus(404, at: second.url("/stream/\(id)/master.m3u8"))

            // The server following a job dies: the other takes the job over once its lease runs out, and follows the
            // same unit to the end (the worker is not restarted, nothing is encoded twice).
            let next = try #require(try second.upload(try TestMasters.path(TestMasters.rotated), title: "taken-over").json["id"] as? String)
            let holder = try jobHolder(cluster, asset: next)
            let (doomed, survivor) = holder == first.processIdentifier ? (first, second) : (second, first)
            try #require(doomed.processIdentifier == holder, "the job's holder \(holder) is neither server")
            doomed.crash()
            let done = try survivor.waitUntilSettled(next, timeout: 300)
            #expect(done["status"] as? String == "ready", "\(done)\n\(second.log.suffix(3000))")
            let attempts = try cluster.psql("""
                SELECT split_part(a.worker, '.', 1) || ' ' || a.outcome FROM strata_job_attempt a JOIN strata_job j ON j.id = a.unit_id
                WHERE j.asset_id = '\(next)' ORDER BY a.id
                """).split(separator: "\n").map(String.init)
            #expect(attempts == ["\(holder) lease expired", "\(survivor.processIdentifier) done"], "\(attempts)")
            #expect(try cluster.psql("SELECT count(*) || ' ' || sum(attempts) FROM strata_unit WHERE asset_id = '\(next)'") == "1 1\n")

            // Deleted through the survivor: gone from the database with its rows.
            #expect(try HTTP.request(survivor.url("/v1/assets/\(id)"), method: "DELETE", headers: survivor.auth).status == 204)
            #expect(try HTTP.request(survivor.url("/v1/assets/\(id)"), headers: survivor.auth).status == 404)
            #expect(try cluster.psql("SELECT count(*) FROM strata_asset") == "1\n")
            #expect(try cluster.psql("SELECT count(*) FROM strata_job WHERE asset_id = '\(id)'") == "0\n")
            // Nothing of the library is kept beside the shared folder's media: no SQLite database was made.
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("strata.sqlite").path))
        }
    }
}

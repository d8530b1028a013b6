import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("shared PostgreSQL queue: an API server without workers, strata worker processes doing the units")
    struct SharedQueueTests {
        /// Waits on the queue's own record until `worker` holds a transcode and has written a segment of it.
        func waitUntilEncoding(_ cluster: PostgresCluster, data: URL, worker: String) throws -> String {
            let deadline = Date().addingTimeInterval(180)
            while Date() < deadline {
                let asset = try cluster.psql("SELECT asset_id FROM strata_unit WHERE state = 'running' AND worker = '\(worker)' LIMIT 1")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let package = data.appendingPathComponent("assets/\(asset)/v1/video")
                let rungs = (try? FileManager.default.contentsOfDirectory(atPath: package.path)) ?? []
                if !asset.isEmpty, rungs.contains(where: { FileManager.default.fileExists(atPath: package.appendingPathComponent("\($0)/seg-1.m4s").path) }) {
                    return asset
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("worker \(worker) never started encoding")
        }

        @Test("three masters are made by two workers and play; a worker killed mid-unit is taken over once its lease runs out, nothing twice")
        func workersShareTheWork() throws {
            let cluster = try PostgresCluster()
            defer { cluster.stop() }
            let data = try makeTemporaryDirectory("shared-queue")
            let server = try startServer(["--database", cluster.url, "--workers", "0"], data: data, keepLog: true)
            defer { server.stop() }
            // The first worker runs alone, so it certainly holds a unit when it is killed.
            let doomed = try WorkerProcess(queue: cluster.url, data: data, name: "doomed", leaseSeconds: 3)
            var ids: [String] = []
            for recipe in [TestMasters.oddSize, TestMasters.rotated, TestMasters.pal] {
                let id = try #require(try server.upload(try TestMasters.path(recipe), title: recipe.name).json["id"] as? String)
                #expect(try server.publish(id).status == 200)
                ids.append(id)
            }
            _ = try waitUntilEncoding(cluster, data: data, worker: "doomed")
            doomed.crash()
            // The unit it held when killed: on a fast machine it may have finished that one and taken the next.
            let interrupted = try cluster.psql("SELECT asset_id FROM strata_unit WHERE state = 'running' AND worker = 'doomed'")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(ids.contains(interrupted), "the killed worker held no unit")

            let workers = try ["w1", "w2"].map { try WorkerProcess(queue: cluster.url, data: data, name: $0, leaseSeconds: 3) }
            defer { for worker in workers { worker.stop() } }
            for id in ids {
                let asset = try server.waitUntilSettled(id, timeout: 600)
                #expect(asset["status"] as? String == "ready", "\(asset)\n\(server.log.suffix(3000))")
                // The API lists the asset's unit: one transcode, done by a live worker.
                let units = try #require(asset["units"] as? [[String: Any]], "\(asset)")
                #expect(units.count == 1, "\(units)")
                let unit = try #require(units.first)
                #expect(unit["kind"] as? String == "transcode" && unit["state"] as? String == "done", "\(unit)")
                // The killed worker may have finished a unit before the one it was killed on; that one a live worker did.
                #expect((id == interrupted ? ["w1", "w2"] : ["doomed", "w1", "w2"]).contains(unit["worker"] as? String ?? ""), "\(unit)")
                #expect((unit["seconds"] as? Double ?? 0) > 0, "\(unit)")
                #expect(unit["attempts"] as? Int == (id == interrupted ? 2 : 1), "\(unit)")
                // Plays end to end in an independent player, from the API server over HTTP.
                for entry in ["master.m3u8", "manifest.mpd"] {
                    let played = try Players.ffmpegDecode(server.url("/stream/\(id)/\(entry)"))
                    #expect(played.status == 0 && played.stderr.isEmpty, "\(id) \(entry): \(played.stderr.suffix(2000))")
                }
                let master = try HTTP.request(server.url("/stream/\(id)/master.m3u8")).text
                let rendition = try #require(master.split(separator: "\n").first { !$0.hasPrefix("#") && $0.hasSuffix(".m3u8") })
                let playlist = try HTTP.request(server.url("/stream/\(id)/\(rendition)")).text
                let segments = playlist.split(separator: "\n").filter { !$0.hasPrefix("#") }
                #expect(!segments.isEmpty && Set(segments).count == segments.count, "no segment is listed twice: \(playlist)")
                #expect(playlist.hasSuffix("#EXT-X-ENDLIST\n"))
            }
            // The queue's record: the killed worker's attempt ended with its lease, a live worker finished the unit,
            // and every unit was done exactly once.
            let attempts = try cluster.psql("""
                SELECT a.worker || ' ' || COALESCE(a.outcome, 'open') FROM strata_unit_attempt a JOIN strata_unit u ON u.id = a.unit_id
                WHERE u.asset_id = '\(interrupted)' ORDER BY a.id
                """).split(separator: "\n").map(String.init)
            #expect(attempts.count == 2 && attempts.first == "doomed lease expired", "\(attempts)")
            #expect(attempts.last == "w1 done" || attempts.last == "w2 done", "\(attempts)")
            #expect(try cluster.psql("SELECT count(*) FROM strata_unit_attempt WHERE outcome = 'done'") == "3\n")
            #expect(try cluster.psql("SELECT count(*) FROM strata_unit") == "3\n")
            #expect(try cluster.psql("SELECT count(*) FROM strata_unit_attempt WHERE outcome IS NULL OR ended_at IS NULL") == "0\n")
        }
    }
}

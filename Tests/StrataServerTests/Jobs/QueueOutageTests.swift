import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("shared PostgreSQL queue stopped for a few seconds mid-job: the server and the worker wait it out")
    struct QueueOutageTests {
        /// 640×360 at 25 fps with a tone, one minute: one cheap rung, ten 6 s segments, and long enough to be still
        /// encoding when the queue goes away (and when a short lease runs out) on any machine.
        static let master = TestMasters.Recipe(name: "outage", arguments: [
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=60",
            "-f", "lavfi", "-i", "sine=frequency=660:duration=60:sample_rate=48000",
            "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        ])

        /// `strata serve --workers 0` and one `strata worker` named "steady" on a cluster of their own, with a master
        /// uploaded and published.
        final class Rig {
            let cluster: PostgresCluster
            let data: URL
            let server: ServerProcess
            let worker: WorkerProcess
            let master: String
            let id: String

            init(leaseSeconds: Double) throws {
                cluster = try PostgresCluster()
                data = try makeTemporaryDirectory("queue-outage")
                server = try startServer(["--database", cluster.url, "--workers", "0"], data: data, keepLog: true)
                worker = try WorkerProcess(queue: cluster.url, data: data, name: "steady", leaseSeconds: leaseSeconds)
                master = try TestMasters.path(QueueOutageTests.master)
                id = try #require(try server.upload(master, title: "outage").json["id"] as? String)
                #expect(try server.publish(id).status == 200)
            }

            /// Waits on the queue's record until the worker holds the unit, then stops PostgreSQL for `seconds` and
            /// starts it again on the same socket; both processes must live through it.
            func stopQueueWhileRunning(for seconds: Double) throws {
                let deadline = Date().addingTimeInterval(120)
                while try cluster.psql("SELECT state FROM strata_unit WHERE asset_id = '\(id)'") != "running\n" {
                    guard Date() < deadline else { throw ToolError("the worker never took the unit: \(worker.log)") }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                try cluster.stopServer()
                let stopped = Date()
                // The API answers meanwhile, and says the database is away (assets live there too) rather than hang.
                let answer = try HTTP.request(server.url("/v1/assets/\(id)"), headers: server.auth)
                #expect(answer.status == 503 && errorBody(answer).code == "database_unavailable", "\(answer.text)")
                #expect(answer.header("Retry-After") == "5")
                Thread.sleep(forTimeInterval: max(0, seconds - Date().timeIntervalSince(stopped)))
                #expect(server.isRunning && worker.isRunning, "neither process exits while the queue is down")
                try cluster.startServer()
            }

            /// Waits until the asset is settled and expects it ready.
            @discardableResult
            func waitUntilReady() throws -> [String: Any] {
                let asset = try server.waitUntilSettled(id, timeout: 600)
                #expect(asset["status"] as? String == "ready", "\(asset)\n\(server.log.suffix(3000))\n\(worker.log.suffix(3000))")
                return asset
            }

            /// The asset's attempts as the queue recorded them: `worker attempt outcome` per line.
            func attempts() throws -> String {
                try cluster.psql("""
                    SELECT a.worker || ' ' || a.attempt || ' ' || COALESCE(a.outcome, 'open') FROM strata_unit_attempt a
                    JOIN strata_unit u ON u.id = a.unit_id WHERE u.asset_id = '\(id)' ORDER BY a.id
                    """)
            }

            /// The package is exactly what one process makes of the same master: every segment once, none missing.
            func expectSamePackageAsOneProcess() throws {
                // Made once per test run, beside the generated masters.
                let reference = TestMasters.directory.appendingPathComponent("outage-reference")
                if !FileManager.default.fileExists(atPath: reference.appendingPathComponent("master.m3u8").path) {
                    let clean = try StrataBinary.run(["transcode", master, "--fast-start", "--overwrite", "--output", reference.path])
                    #expect(clean.status == 0, "\(clean.stderr)")
                }
                let package = data.appendingPathComponent("assets/\(id)/v1")
                #expect(try PackageStructure.describe(package) == PackageStructure.describe(reference))
            }

            /// Both logs tell the operator once that the queue is gone and that they retry, and once that it is back
            /// (not a line per retry).
            func expectOutageLogged() {
                for (name, log) in [("server", server.log), ("worker", worker.log)] {
                    let lines = log.split(separator: "\n")
                    let lost = lines.filter { $0.contains("the shared queue cannot be reached") }
                    let back = lines.filter { $0.contains("the shared queue is reachable again") }
                    #expect(!lost.isEmpty && lost.allSatisfy { $0.contains("retrying") }, "\(name): \(log.suffix(4000))")
                    #expect(lost.count == back.count && lost.count <= 2, "\(name): \(log.suffix(4000))")
                }
            }

            func stop() {
                worker.stop()
                server.stop()
                cluster.stop()
            }
        }

        @Test("PostgreSQL stopped mid-unit for 5 s: both processes say so once, keep retrying and say when it is back; the job ends ready, done once by its worker, and plays")
        func queueStoppedMidJob() throws {
            // A lease far longer than the outage as the worker sees it: the unit stays this worker's and nothing is
            // redone. postgres-nio's pool backs off reconnecting (up to a minute), so a 5 s outage can last 80 s or
            // more for a client; a 60 s lease ran out in one CI run and the unit was claimed again.
            let rig = try Rig(leaseSeconds: 180)
            defer { rig.stop() }
            try rig.stopQueueWhileRunning(for: 5)

            let asset = try rig.waitUntilReady()
            let unit = try #require((asset["units"] as? [[String: Any]])?.first, "\(asset)")
            #expect(unit["state"] as? String == "done" && unit["worker"] as? String == "steady" && unit["attempts"] as? Int == 1, "\(unit)")
            #expect(try rig.attempts() == "steady 1 done\n")
            try rig.expectSamePackageAsOneProcess()
            var players = PlayerChecks(baseURL: rig.server.url("/stream/\(rig.id)"), masterDuration: 60, videoFrameRate: 25)
            try players.run()
            #expect(players.problems.isEmpty, "\(players.problems.joined(separator: "\n"))")

            // Carrying on: the same worker takes and finishes new work after the outage.
            let next = try #require(try rig.server.upload(try TestMasters.path(TestMasters.oddSize), title: "after").json["id"] as? String)
            #expect(try rig.server.waitUntilSettled(next, timeout: 600)["status"] as? String == "ready")
            #expect(try rig.cluster.psql("SELECT worker || ' ' || outcome FROM strata_unit_attempt ORDER BY id") == "steady done\nsteady done\n")
            rig.expectOutageLogged()
        }

        @Test("an outage longer than the lease: the worker stops its unit when the lease runs out, the unit is claimed again once the queue is back and done once, the package as one process makes it")
        func outageOutlastsTheLease() throws {
            // The lease runs out unrenewed at most 4 s into the outage (lease plus one heartbeat interval), while the
            // one-minute master is still encoding.
            let rig = try Rig(leaseSeconds: 3)
            defer { rig.stop() }
            try rig.stopQueueWhileRunning(for: 7)

            try rig.waitUntilReady()
            #expect(rig.worker.log.contains("the unit's lease ran out before the queue could be reached"), "\(rig.worker.log.suffix(4000))")
            // The first attempt ended with its lease (closed by the next claim), the second finished: one done.
            #expect(try rig.attempts() == "steady 1 lease expired\nsteady 2 done\n")
            try rig.expectSamePackageAsOneProcess()
            rig.expectOutageLogged()
        }
    }
}

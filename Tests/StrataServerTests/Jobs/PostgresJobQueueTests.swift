import Foundation
import Logging
import PostgresNIO
@testable import StrataServer
import Testing
import TestSupport

/// The shared queue against a real PostgreSQL cluster of the test's own (initdb + pg_ctl in a temporary folder).
@Suite("PostgreSQL job queue", .serialized)
struct PostgresJobQueueTests {
    let logger = Logger(label: "strata.test.queue")

    /// A fresh cluster, a running client and a migrated queue for `body`; everything is stopped afterwards.
    func withQueue(maxAttempts: Int = 3, retryBase: Duration = .seconds(5),
                   _ body: @Sendable (PostgresJobQueue, PostgresCluster) async throws -> Void) async throws {
        try await withMigratedPostgres(logger: logger) { client, cluster in
            var queue = PostgresJobQueue(client: client, logger: logger)
            queue.maxAttempts = maxAttempts
            queue.retryBase = retryBase
            try await body(queue, cluster)
        }
    }

    @Test("migrations are numbered, applied once, and again by a second process find nothing to do")
    func migrations() async throws {
        try await withQueue { queue, cluster async throws in
            #expect(try await PostgresSchema.migrate(queue.client, logger: logger) == [])
            #expect(try cluster.psql("SELECT version FROM strata_schema_version ORDER BY version") == (1...PostgresSchema.migrations.count).map { "\($0)\n" }.joined())
        }
    }

    @Test("claimers racing on one queue never get the same unit, and every unit is claimed")
    func exclusiveClaims() async throws {
        try await withQueue { queue, cluster async throws in
            var queued: Set<Int64> = []
            for index in 0..<24 { queued.insert(try await queue.enqueue(.transcode, asset: "a\(index)", order: "{}")) }
            let claims = try await withThrowingTaskGroup(of: [ClaimedUnit].self) { group in
                for worker in ["w1", "w2", "w3", "w4"] {
                    group.addTask {
                        var mine: [ClaimedUnit] = []
                        while let unit = try await queue.claim(worker: worker, lease: .seconds(60)) { mine.append(unit) }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claims.count == 24)
            #expect(Set(claims.map(\.id)) == queued)
            #expect(claims.allSatisfy { $0.attempt == 1 && $0.order == "{}" })
            // The queue's own record agrees: one attempt per unit, by the worker that got it.
            let recorded = try cluster.psql("SELECT unit_id || ':' || worker FROM strata_unit_attempt ORDER BY unit_id")
            #expect(recorded == claims.sorted { $0.id < $1.id }.map { "\($0.id):\($0.worker)\n" }.joined())
        }
    }

    @Test("an expired lease makes the unit claimable again; the old holder's heartbeat and result are refused")
    func expiredLease() async throws {
        try await withQueue { queue, cluster async throws in
            let id = try await queue.enqueue(.transcode, asset: "a", order: "{}")
            let first = try #require(try await queue.claim(worker: "lost", lease: .milliseconds(300)))
            #expect(try await queue.heartbeat(first, lease: .milliseconds(300), progress: UnitProgress(fraction: 0.25, playableSeconds: 4)))
            #expect(try await queue.claim(worker: "other", lease: .seconds(60)) == nil, "held units are not claimable")
            // Wait on the database's clock until the lease has run out (however slow the machine is).
            while try cluster.psql("SELECT lease_until < now() FROM strata_unit WHERE id = \(id)") != "t\n" {
                try await Task.sleep(for: .milliseconds(100))
            }
            let second = try #require(try await queue.claim(worker: "other", lease: .seconds(60)))
            #expect(second.id == id && second.attempt == 2)
            #expect(try await queue.heartbeat(first, lease: .seconds(60), progress: UnitProgress()) == false)
            try await queue.complete(first, result: "late")
            try await queue.complete(second, result: "facts")
            let status = try #require(try await queue.unit(id))
            #expect(status.state == "done" && status.result == "facts" && status.worker == "other" && status.attempts == 2)
            #expect(status.playableSeconds == 4, "what players could already watch is kept across attempts")
            let attempts = try await queue.attempts(of: id)
            #expect(attempts.map(\.worker) == ["lost", "other"])
            #expect(attempts.map(\.outcome) == ["lease expired", "done"])
            #expect(attempts.allSatisfy { ($0.endedAt ?? .distantPast) >= $0.startedAt })
        }
    }

    @Test("a failed attempt is retried after a doubling backoff; the last allowed failure fails the unit with its reason")
    func retriesThenFailure() async throws {
        try await withQueue(maxAttempts: 3, retryBase: .seconds(60)) { queue, cluster async throws in
            let id = try await queue.enqueue(.repackage, asset: "a", order: "{}")
            var backoffs: [String] = []
            for attempt in 1...3 {
                let unit = try #require(try await queue.claim(worker: "w\(attempt)", lease: .seconds(60)))
                #expect(unit.attempt == attempt && unit.kind == .repackage)
                try await queue.fail(unit, reason: "reason \(attempt)")
                let state = try #require(try await queue.unit(id)).state
                guard attempt < 3 else {
                    #expect(state == "failed")
                    break
                }
                #expect(state == "queued")
                #expect(try await queue.claim(worker: "eager", lease: .seconds(60)) == nil, "not before its backoff")
                backoffs.append(try cluster.psql("SELECT round(extract(epoch FROM available_at - updated_at)) FROM strata_unit WHERE id = \(id)"))
                // Let the backoff pass without waiting for it.
                _ = try cluster.psql("UPDATE strata_unit SET available_at = now() WHERE id = \(id)")
            }
            #expect(backoffs == ["60\n", "120\n"])
            let status = try #require(try await queue.unit(id))
            #expect(status.error == "reason 3" && status.attempts == 3)
            #expect(try await queue.claim(worker: "w4", lease: .seconds(60)) == nil, "a failed unit is never claimed again")
            let attempts = try await queue.attempts(of: id)
            #expect(attempts.map(\.worker) == ["w1", "w2", "w3"])
            #expect(attempts.map(\.error) == ["reason 1", "reason 2", "reason 3"])
            #expect(attempts.allSatisfy { $0.outcome == "failed" && ($0.endedAt ?? .distantPast) >= $0.startedAt })
        }
    }

    @Test("a released unit (graceful shutdown) is claimed again without spending an attempt")
    func release() async throws {
        try await withQueue(maxAttempts: 1) { queue, _ async throws in
            let id = try await queue.enqueue(.transcode, asset: "a", order: "{}")
            let unit = try #require(try await queue.claim(worker: "w1", lease: .seconds(60)))
            try await queue.release(unit)
            let again = try #require(try await queue.claim(worker: "w2", lease: .seconds(60)))
            #expect(again.id == id && again.attempt == 1)
            #expect(try await queue.attempts(of: id).map(\.outcome) == ["released", nil])
        }
    }
}

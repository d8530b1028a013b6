import Foundation
import Logging
import PostgresNIO
@testable import StrataServer
import Testing
import TestSupport

/// Several API servers' dispatchers on one PostgreSQL database (a throwaway cluster), delivering to a real HTTP
/// receiver on loopback (Python's `http.server`).
@Suite("webhooks from several API servers on one PostgreSQL database", .serialized)
struct SharedWebhookDispatchTests {
    let logger = Logger(label: "strata.test.webhooks")

    @Test("two dispatchers: every event arrives once, in order per endpoint; a failing receiver is retried with backoff")
    func twoDispatchers() async throws {
        let receiver = try WebhookReceiver()
        let retryBase = 0.3
        try await withMigratedPostgres { client, cluster in
            let assets = PostgresStoreUnderTest(client: client, logger: logger)
            let endpoints = ["/a/hooks", "/b/hooks"]
            let hooks = [try await assets.subscribe(receiver.url(endpoints[0])), try await assets.subscribe(receiver.url(endpoints[1]))]
            let flaky = try await assets.subscribe(receiver.url("/fail2/hooks"), events: [.created])
            // The second server has a client of its own, as it would on another machine.
            let other = PostgresClient(configuration: try PostgresLocation(url: cluster.url).configuration, backgroundLogger: logger)
            let dispatchers = [client, other].map {
                WebhookDispatcher(store: PostgresWebhookStore(client: $0, logger: logger), retryBase: .seconds(retryBase), logger: logger)
            }
            let ids = (1...8).map { "s\($0)" }
            let lifecycle = ["asset.created", "asset.progress", "asset.progress", "asset.progress", "asset.playable", "asset.ready"]
            try await whileRunning(dispatchers, other: other) {
                // Eight assets go through their lives interleaved, one change at a time, while both dispatchers run.
                for id in ids { try await assets.insert(id) }
                for id in ids { try await assets.update(id) { $0.status = .processing } }
                for progress in [0.25, 0.55, 0.85] {
                    for id in ids { try await assets.update(id) { $0.progress = progress } }
                }
                for id in ids { try await assets.update(id) { $0.status = .ready; $0.packageVersion = 1; $0.progress = 1 } }
                // Done when every delivery is recorded as delivered: anything sent twice would have arrived by then.
                for hook in hooks + [flaky] {
                    let expected = hook.id == flaky.id ? ids.count : ids.count * lifecycle.count
                    try await waitUntil("\(hook.url) has \(expected) deliveries recorded as delivered") {
                        let log = try await assets.store.latestDeliveries(of: hook.id, limit: 1000)
                        return log.count == expected && log.allSatisfy { $0.state == .delivered }
                    }
                }
            }
            for path in endpoints {
                checkOnceInOrder(receiver.deliveries.filter { $0.path == path }, assets: ids, lifecycle: lifecycle, path: path)
            }
            let flakyLog = try await assets.store.latestDeliveries(of: flaky.id, limit: 100)
            try checkRetries(receiver.deliveries.filter { $0.path == "/fail2/hooks" }, log: flakyLog, assets: ids.count, retryBase: retryBase)
        }
    }

    /// Runs the dispatchers and the second server's client while `body` runs; stops the dispatchers first, as a
    /// server's service group does, so none is left waiting on a client that is closing.
    func whileRunning(_ dispatchers: [WebhookDispatcher], other: PostgresClient, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { clients in
            clients.addTask { await other.run() }
            defer { clients.cancelAll() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for dispatcher in dispatchers { group.addTask { try await dispatcher.run() } }
                defer { group.cancelAll() }
                try await body()
            }
        }
    }

    /// Each event arrived once, in event order, every asset's in its life's order.
    func checkOnceInOrder(_ received: [WebhookReceiver.Delivery], assets: [String], lifecycle: [String], path: String) {
        let events = received.compactMap { $0.json["id"] as? String }.compactMap { Int64($0.dropFirst(4)) }
        #expect(events.count == assets.count * lifecycle.count && Set(events).count == events.count, "\(path): each event exactly once: \(events)")
        #expect(events == events.sorted(), "\(path): in order: \(events)")
        #expect(received.allSatisfy { $0.status == 200 })
        for id in assets {
            let types = received.filter { ($0.json["data"] as? [String: Any])?["id"] as? String == id }.compactMap { $0.json["type"] as? String }
            #expect(types == lifecycle, "\(path) \(id)")
        }
    }

    /// The flaky receiver answered 500 to its first two requests; each event was retried, no sooner than the backoff
    /// allows, until a 200, and every attempt was recorded once.
    func checkRetries(_ tries: [WebhookReceiver.Delivery], log: [WebhookDeliveryRecord], assets: Int, retryBase: Double) throws {
        #expect(tries.map(\.status).filter { $0 == 500 }.count == 2)
        let accepted = tries.filter { $0.status == 200 }.compactMap { $0.json["id"] as? String }
        #expect(accepted.count == assets && Set(accepted).count == assets, "\(accepted)")
        #expect(log.map(\.attempts).reduce(0, +) == tries.count, "every attempt recorded once")
        #expect(log.contains { $0.attempts > 1 })
        for delivery in log where delivery.attempts > 1 {
            // The n-th try waits at least base · (1 + 2 + … + 2^(n-2)) after the delivery was made.
            let backoff = retryBase * (pow(2, Double(delivery.attempts - 1)) - 1)
            let waited = try #require(delivery.deliveredAt).timeIntervalSince(delivery.createdAt)
            #expect(waited >= backoff - 0.01, "attempt \(delivery.attempts) came after \(waited) s")
            #expect(delivery.lastStatus == 200)
        }
    }

    @Test("an endpoint is one dispatcher's until it lets go or its lease runs out; a stalled holder's late outcome is refused")
    func lease() async throws {
        try await withMigratedPostgres { client, cluster in
            let assets = PostgresStoreUnderTest(client: client, logger: logger)
            let hook = try await assets.subscribe("http://127.0.0.1:9/hooks")
            try await assets.insert("l1")
            var first = PostgresWebhookStore(client: client, logger: logger)
            first.lease = .milliseconds(500)
            let second = PostgresWebhookStore(client: client, logger: logger)
            #expect(try await second.fanOut() == 1)
            var attempt = try #require(try await first.claimDue(excluding: [])[hook.id]?.first)
            #expect(try await second.claimDue(excluding: []).isEmpty, "held by the first")
            attempt.attempts = 1
            attempt.lastStatus = 500
            attempt.nextAttemptAt = Date().addingTimeInterval(-1)
            #expect(try await second.recordAttempt(attempt) == false, "not the second's to record")
            #expect(try await first.recordAttempt(attempt))

            // The first stalls: wait on the database's clock until its lease has run out (however slow the machine).
            while try cluster.psql("SELECT lease_until < now() FROM strata_webhook WHERE id = '\(hook.id)'") != "t\n" {
                try await Task.sleep(for: .milliseconds(100))
            }
            let taken = try #require(try await second.claimDue(excluding: [])[hook.id])
            #expect(taken.map(\.id) == [attempt.id] && taken.first?.attempts == 1, "the second picks up the retry")
            attempt.attempts = 2
            attempt.state = .delivered
            #expect(try await first.recordAttempt(attempt) == false, "the stalled holder's late outcome is dropped")
            try await first.release(endpoint: hook.id)
            #expect(try await first.claimDue(excluding: []).isEmpty, "releasing what it no longer holds frees nothing")
            try await second.release(endpoint: hook.id)
            #expect(try await first.claimDue(excluding: [])[hook.id]?.map(\.attempts) == [1])
        }
    }

    @Test("servers fanning out at once move each event once, in order")
    func concurrentFanOut() async throws {
        try await withMigratedPostgres { client, _ in
            let assets = PostgresStoreUnderTest(client: client, logger: logger)
            let hooks = [try await assets.subscribe("http://127.0.0.1:9/a"), try await assets.subscribe("http://127.0.0.1:9/b")]
            let stores = (0..<4).map { _ in PostgresWebhookStore(client: client, logger: logger) }
            let count = 120
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for index in 0..<count { try await assets.insert("f\(index)") }
                }
                for store in stores {
                    group.addTask {
                        // Until every event has been moved by someone.
                        while try await assets.store.latestDeliveries(of: hooks[0].id, limit: count + 1).count < count {
                            _ = try await store.fanOut()
                        }
                    }
                }
                try await group.waitForAll()
            }
            for hook in hooks {
                let events = try await assets.store.latestDeliveries(of: hook.id, limit: 1000).reversed().map(\.eventID)
                #expect(events.count == count && Set(events).count == count, "each event once")
                #expect(events == events.sorted(), "deliveries made in event order")
            }
            #expect(try await stores[0].fanOut() == 0)
        }
    }

    /// Polls `condition` until it holds; fails after two minutes (a bound for a hung test, not a speed check).
    func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting until \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

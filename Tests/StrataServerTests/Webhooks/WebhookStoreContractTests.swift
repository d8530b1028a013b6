import Foundation
@testable import StrataServer
import Testing
import TestSupport

/// The same checks against both stores, on real engines: SQLite through GRDB and a throwaway PostgreSQL cluster.
/// The triggers of each record the same events with payloads of the same shape, and the store's operations behave
/// alike for the routes and the dispatcher.
@Suite("webhook store contract: SQLite and PostgreSQL", .serialized)
struct WebhookStoreContractTests {
    @Test("asset changes record the same events, in the same order, with payloads of the same keys and types")
    func events() async throws {
        let sqlite = try await recordedPayloads(SQLiteStoreUnderTest())
        try await withMigratedPostgres { client, _ in
            let postgres = try await recordedPayloads(PostgresStoreUnderTest(client: client, logger: .init(label: "strata.test.webhooks")))
            #expect(postgres.map { $0["type"] } == sqlite.map { $0["type"] })
            for (mine, theirs) in zip(postgres, sqlite) {
                #expect(mine.shape == theirs.shape, "\(mine) vs \(theirs)")
                // Everything but the event's own id and time is the same value (progress as a number: 0.0 and 0 alike).
                #expect(mine["data"] == theirs["data"], "\(mine) vs \(theirs)")
            }
        }
    }

    /// Runs one life of several assets through `subject`'s asset table, fans the events out to an endpoint subscribed
    /// to all, checks them against what the triggers must record, and returns the payloads in delivery order.
    func recordedPayloads(_ subject: some WebhookStoreUnderTest) async throws -> [JSONValue] {
        let hook = try await subject.subscribe("http://127.0.0.1:9/hooks")
        try await subject.insert("a1")
        try await subject.insert("a2", title: nil, status: .failed, error: ("unsupported_codec", "the master's codec \"x\" is not supported"))
        try await subject.update("a1") { $0.status = .processing }
        for progress in [0.05, 0.12, 0.15, 0.31, 0.3] { try await subject.update("a1") { $0.progress = progress } }
        try await subject.update("a1") { $0.packageVersion = 1; $0.playableSeconds = 2 }
        try await subject.update("a1") { $0.playableSeconds = 6 }
        try await subject.update("a1") { $0.status = .queued }  // a restart: queued again, segments kept
        try await subject.update("a1") { $0.status = .processing; $0.playableSeconds = 8; $0.progress = 0.2 }
        try await subject.update("a1") { $0.progress = 0.45 }
        try await subject.update("a1") { $0.status = .ready; $0.progress = 1; $0.published = true }
        try await subject.update("a1") { $0.packageVersion = 2 }  // repackaged
        try await subject.update("a1") { $0.published = false }
        try await subject.insert("a3", title: "quote \" and ünïcode")
        try await subject.update("a3") { $0.status = .processing }
        try await subject.update("a3") { $0.status = .ready; $0.packageVersion = 1; $0.progress = 1 }  // playable and ready at once
        try await subject.update("a3") { $0.status = .failed; $0.errorCode = "storage_full"; $0.errorMessage = "the disk is full" }
        try await subject.delete("a1")

        let moved = try await subject.store.fanOut()
        #expect(try await subject.store.fanOut() == 0, "\(subject.name): each event is fanned out once")
        let deliveries = try await subject.store.latestDeliveries(of: hook.id, limit: 1000).reversed()
        #expect(deliveries.count == moved)
        let payloads = try deliveries.map { try JSONValue(parsing: $0.payload) }
        let events = payloads.map { "\($0["data"]?["id"]?.text ?? "?") \($0["type"]?.text ?? "?")" }
        let expected = [("a1", "created"), ("a2", "created"), ("a2", "failed"), ("a1", "progress"), ("a1", "progress"),
                        ("a1", "playable"), ("a1", "progress"), ("a1", "published"), ("a1", "ready"), ("a1", "unpublished"),
                        ("a3", "created"), ("a3", "playable"), ("a3", "ready"), ("a3", "failed"), ("a1", "deleted")]
        #expect(events == expected.map { "\($0.0) asset.\($0.1)" }, "\(subject.name)")

        let time = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/
        for (payload, delivery) in zip(payloads, deliveries) {
            #expect(payload.shape.hasPrefix("{createdAt:string,data:{"), "\(subject.name): \(payload)")
            #expect(payload["id"] == .string("evt_\(delivery.eventID)"))
            #expect(payload["type"] == .string(delivery.type))
            if case .string(let createdAt) = payload["createdAt"] {
                #expect(createdAt.wholeMatch(of: time) != nil, "\(subject.name): \(createdAt)")
            }
        }
        let data = payloads.compactMap { $0["data"] }
        let full = "{error:null,id:string,profile:string,progress:number,published:boolean,status:string,title:string}"
        #expect(data[0].shape == full, "\(subject.name)")
        #expect(data[2].shape == full.replacingOccurrences(of: "error:null", with: "error:{code:string,message:string}")
            .replacingOccurrences(of: "title:string", with: "title:null"), "\(subject.name)")
        #expect(data[2]["error"]?["message"] == .string("the master's codec \"x\" is not supported"))
        #expect(data[3]["progress"] == .number(0.12) && data[4]["progress"] == .number(0.31) && data[6]["progress"] == .number(0.45))
        #expect(data[7]["published"] == .bool(true) && data[9]["published"] == .bool(false))
        #expect(data[10]["title"] == .string("quote \" and ünïcode"))
        #expect(data.last?.shape == "{id:string,status:string,title:string}" && data.last?["status"] == .string("deleted"))
        return payloads
    }

    @Test("endpoints: create, list oldest first, fetch, replace, delete with their deliveries", arguments: StoreEngine.allCases)
    func endpoints(_ engine: StoreEngine) async throws {
        try await engine.run { subject in
            let first = try await subject.subscribe("http://127.0.0.1:9/first")
            let second = try await subject.subscribe("http://127.0.0.1:9/second", events: [.ready])
            #expect(try await subject.store.endpoints().map(\.id) == [first.id, second.id])
            let fetched = try #require(try await subject.store.endpoint(id: first.id))
            #expect(fetched.url == first.url && fetched.events == first.events && fetched.secret == first.secret)
            #expect(abs(fetched.createdAt.timeIntervalSince(first.createdAt)) < 0.001)
            #expect(try await subject.store.endpoint(id: "wh_missing") == nil)

            var changed = second
            changed.url = "https://example.com/changed"
            changed.events = "asset.ready,asset.deleted"
            try await subject.store.replace(changed)
            let replaced = try #require(try await subject.store.endpoint(id: second.id))
            #expect(replaced.url == changed.url && replaced.eventList == [.ready, .deleted])

            try await subject.insert("e1")
            try await subject.delete("e1")
            #expect(try await subject.store.fanOut() == 2)
            #expect(try await subject.store.latestDeliveries(of: first.id, limit: 10).map(\.type) == ["asset.deleted", "asset.created"])
            #expect(try await subject.store.latestDeliveries(of: first.id, limit: 1).map(\.type) == ["asset.deleted"])
            #expect(try await subject.store.latestDeliveries(of: second.id, limit: 10).map(\.type) == ["asset.deleted"])
            try await subject.store.delete(id: first.id)
            #expect(try await subject.store.endpoint(id: first.id) == nil)
            #expect(try await subject.store.latestDeliveries(of: first.id, limit: 10).isEmpty, "deliveries go with their endpoint")
            #expect(try await subject.store.endpoints().map(\.id) == [second.id])
        }
    }

    @Test("due deliveries: claimed in event order, a retry waits for its time, an attempt's outcome is kept", arguments: StoreEngine.allCases)
    func dueDeliveries(_ engine: StoreEngine) async throws {
        try await engine.run { subject in
            let hook = try await subject.subscribe("http://127.0.0.1:9/hooks", events: [.created])
            for id in ["d1", "d2", "d3"] { try await subject.insert(id) }
            try await subject.store.fanOut()
            let claimed = try await subject.store.claimDue(excluding: [])
            let due = try #require(claimed[hook.id])
            #expect(claimed.count == 1 && due.count == 3)
            #expect(due.map(\.eventID) == due.map(\.eventID).sorted() && due.allSatisfy { $0.state == .pending && $0.attempts == 0 })
            #expect(try await subject.store.claimDue(excluding: [hook.id]).isEmpty, "nothing of an endpoint being sent")

            var retried = due[0]
            retried.attempts = 1
            retried.lastStatus = 500
            retried.lastError = "the receiver answered 500"
            retried.nextAttemptAt = Date().addingTimeInterval(3600)
            #expect(try await subject.store.recordAttempt(retried))
            var delivered = due[1]
            delivered.attempts = 1
            delivered.state = .delivered
            delivered.lastStatus = 204
            delivered.deliveredAt = Date()
            #expect(try await subject.store.recordAttempt(delivered))
            try await subject.store.release(endpoint: hook.id)

            #expect(try await subject.store.claimDue(excluding: [])[hook.id]?.map(\.id) == [due[2].id], "the retry waits an hour")
            let log = Dictionary(uniqueKeysWithValues: try await subject.store.latestDeliveries(of: hook.id, limit: 10).map { ($0.id, $0) })
            #expect(log[retried.id]?.state == .pending && log[retried.id]?.attempts == 1 && log[retried.id]?.lastStatus == 500)
            #expect(log[retried.id]?.lastError == "the receiver answered 500")
            #expect(abs((log[retried.id]?.nextAttemptAt.timeIntervalSinceNow ?? 0) - 3600) < 60)
            #expect(log[delivered.id]?.state == .delivered && log[delivered.id]?.lastStatus == 204 && log[delivered.id]?.deliveredAt != nil)

            retried.nextAttemptAt = Date().addingTimeInterval(-1)
            #expect(try await subject.store.recordAttempt(retried))
            try await subject.store.release(endpoint: hook.id)
            #expect(try await subject.store.claimDue(excluding: [])[hook.id]?.map(\.id) == [retried.id, due[2].id], "due again, in order")
        }
    }
}

/// Which store a parameterized contract test runs against.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    func run(_ body: @Sendable (any WebhookStoreUnderTest) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(try SQLiteStoreUnderTest())
        case .postgres:
            try await withMigratedPostgres { client, _ in
                try await body(PostgresStoreUnderTest(client: client, logger: .init(label: "strata.test.webhooks")))
            }
        }
    }
}

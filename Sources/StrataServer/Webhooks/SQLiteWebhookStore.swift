import Foundation
import GRDB

/// Webhooks in the server's own SQLite database (tables and triggers: `WebhookSchema`, `PlayableEventSchema`).
/// One process owns the file, so the dispatcher's own set of busy endpoints is all the claiming there is.
struct SQLiteWebhookStore: WebhookStore {
    let database: ServerDatabase

    func create(_ hook: WebhookRecord) async throws {
        try await database.queue.write { db in try hook.insert(db) }
    }

    func endpoints() async throws -> [WebhookRecord] {
        try await database.queue.read { db in try WebhookRecord.order(Column("createdAt")).fetchAll(db) }
    }

    func endpoint(id: String) async throws -> WebhookRecord? {
        try await database.queue.read { db in try WebhookRecord.fetchOne(db, key: id) }
    }

    func replace(_ hook: WebhookRecord) async throws {
        try await database.queue.write { db in try hook.update(db) }
    }

    func delete(id: String) async throws {
        _ = try await database.queue.write { db in try WebhookRecord.deleteOne(db, key: id) }
    }

    func latestDeliveries(of webhookID: String, limit: Int) async throws -> [WebhookDeliveryRecord] {
        try await database.queue.read { db in
            try WebhookDeliveryRecord.filter(Column("webhookID") == webhookID).order(Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    /// Moves up to 500 events, in one transaction.
    func fanOut() async throws -> Int {
        try await database.queue.write { db in
            let events = try Row.fetchAll(db, sql: "SELECT id, type, data, createdAt FROM asset_event ORDER BY id LIMIT 500").map { row in
                RecordedAssetEvent(id: row["id"], type: row["type"], data: row["data"], createdAt: row["createdAt"])
            }
            guard !events.isEmpty else { return 0 }
            let hooks = try WebhookRecord.fetchAll(db)
            let now = Date()
            for event in events {
                for var delivery in event.deliveries(to: hooks, at: now) { try delivery.insert(db) }
                try db.execute(sql: "DELETE FROM asset_event WHERE id = ?", arguments: [event.id])
            }
            return events.count
        }
    }

    /// Up to 200 deliveries, so a hanging endpoint's backlog cannot crowd the others out of the batch.
    func claimDue(excluding busy: Set<String>) async throws -> [String: [WebhookDeliveryRecord]] {
        let sending = Array(busy)
        let due = try await database.queue.read { db in
            try WebhookDeliveryRecord.filter(Column("state") == DeliveryState.pending.rawValue && Column("nextAttemptAt") <= Date()
                                                && !sending.contains(Column("webhookID")))
                .order(Column("id")).limit(200).fetchAll(db)
        }
        return Dictionary(grouping: due, by: \.webhookID)
    }

    func recordAttempt(_ delivery: WebhookDeliveryRecord) async throws -> Bool {
        try await database.queue.write { db in try delivery.update(db) }
        return true
    }

    func release(endpoint webhookID: String) async throws {}
}

import Foundation
import GRDB

/// The events an endpoint can subscribe to.
enum WebhookEvent: String, Codable, CaseIterable, Sendable {
    case created = "asset.created"
    case progress = "asset.progress"
    /// Players can start: the first segments are listed (or the package is complete). Once per asset.
    case playable = "asset.playable"
    case ready = "asset.ready"
    case failed = "asset.failed"
    case deleted = "asset.deleted"
    case published = "asset.published"
    case unpublished = "asset.unpublished"
}

/// An operator's endpoint (table `webhook`).
struct WebhookRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "webhook"

    var id: String
    var url: String
    /// Comma-separated `WebhookEvent` raw values.
    var events: String
    var secret: String
    var createdAt: Date

    var eventList: [WebhookEvent] { events.split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) } }
}

/// Where a delivery is.
enum DeliveryState: String, Codable, Sendable {
    /// Not yet accepted by the receiver; retried at `nextAttemptAt`.
    case pending
    case delivered
    /// Retried for the whole retry window without a 2xx.
    case failed
}

/// One event for one endpoint, stored before the first attempt (table `webhook_delivery`).
struct WebhookDeliveryRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "webhook_delivery"

    var id: Int64?
    var webhookID: String
    var eventID: Int64
    var type: String
    /// The JSON body sent, byte for byte on every attempt.
    var payload: String
    var state: DeliveryState
    var attempts: Int
    var nextAttemptAt: Date
    var lastStatus: Int?
    var lastError: String?
    var createdAt: Date
    var deliveredAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

enum WebhookSchema {
    /// The `data` object of an event about the asset row `NEW` (SQL, for triggers).
    static let eventData = """
        json_object('id', NEW.id, 'title', NEW.title, 'profile', NEW.profileName, 'status', NEW.status,
                    'progress', NEW.progress, 'published', json(CASE WHEN NEW.published THEN 'true' ELSE 'false' END),
                    'error', CASE WHEN NEW.errorCode IS NULL THEN NULL ELSE json_object('code', NEW.errorCode, 'message', NEW.errorMessage) END)
        """
    /// The event's `createdAt` (SQL).
    static let eventTime = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// Tables, plus triggers that record every asset state change in `asset_event` in the same transaction as the
    /// change itself: no code path that changes an asset can forget an event, and none is recorded twice.
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-webhooks") { db in
            try db.create(table: WebhookRecord.databaseTableName) { table in
                table.primaryKey("id", .text)
                table.column("url", .text).notNull()
                table.column("events", .text).notNull()
                table.column("secret", .text).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: WebhookDeliveryRecord.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("webhookID", .text).notNull().indexed().references("webhook", onDelete: .cascade)
                table.column("eventID", .integer).notNull()
                table.column("type", .text).notNull()
                table.column("payload", .text).notNull()
                table.column("state", .text).notNull().indexed()
                table.column("attempts", .integer).notNull()
                table.column("nextAttemptAt", .datetime).notNull()
                table.column("lastStatus", .integer)
                table.column("lastError", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("deliveredAt", .datetime)
            }
            // The outbox: one row per state change, fanned out to deliveries by WebhookDispatcher.
            try db.create(table: "asset_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("type", .text).notNull()
                table.column("data", .text).notNull()
                table.column("createdAt", .text).notNull()
            }
            let (data, now) = (eventData, eventTime)
            try db.execute(sql: """
                CREATE TRIGGER asset_event_created AFTER INSERT ON asset BEGIN
                    INSERT INTO asset_event (type, data, createdAt) VALUES ('asset.created', \(data), \(now));
                    INSERT INTO asset_event (type, data, createdAt) SELECT 'asset.failed', \(data), \(now) WHERE NEW.status = 'failed';
                END;
                CREATE TRIGGER asset_event_status AFTER UPDATE OF status ON asset
                WHEN NEW.status != OLD.status AND NEW.status IN ('ready', 'failed') BEGIN
                    INSERT INTO asset_event (type, data, createdAt) VALUES ('asset.' || NEW.status, \(data), \(now));
                END;
                CREATE TRIGGER asset_event_published AFTER UPDATE OF published ON asset
                WHEN NEW.published != OLD.published BEGIN
                    INSERT INTO asset_event (type, data, createdAt)
                    VALUES (CASE WHEN NEW.published THEN 'asset.published' ELSE 'asset.unpublished' END, \(data), \(now));
                END;
                -- Throttled: one event per tenth of the work done.
                CREATE TRIGGER asset_event_progress AFTER UPDATE OF progress ON asset
                WHEN NEW.status = 'processing' AND CAST(NEW.progress * 10 AS INTEGER) > CAST(OLD.progress * 10 AS INTEGER) BEGIN
                    INSERT INTO asset_event (type, data, createdAt) VALUES ('asset.progress', \(data), \(now));
                END;
                CREATE TRIGGER asset_event_deleted AFTER DELETE ON asset BEGIN
                    INSERT INTO asset_event (type, data, createdAt)
                    VALUES ('asset.deleted', json_object('id', OLD.id, 'title', OLD.title, 'status', 'deleted'), \(now));
                END;
                """)
        }
    }
}

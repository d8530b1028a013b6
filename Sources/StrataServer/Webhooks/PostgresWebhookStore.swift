import Foundation
import Logging
import PostgresNIO

/// Webhooks in a PostgreSQL database that several API servers share, each running a dispatcher
/// (tables and triggers: `PostgresWebhookSchema`).
///
/// Fan-out runs under a transaction-level advisory lock taken with `pg_try_advisory_xact_lock`: one dispatcher
/// moves events at a time and the others skip that round rather than wait. Concurrent fan-outs, even of disjoint
/// batches (`FOR UPDATE SKIP LOCKED`), could commit in either order, letting a later event's delivery go out before
/// an earlier one's; serial fan-out costs nothing that matters (one short transaction every 200 ms).
///
/// Each endpoint is sent by one dispatcher at a time under a lease on its row (`lease_holder`, `lease_until`),
/// claimed with `UPDATE … WHERE the lease is free or ran out RETURNING`: a second claimer waits on the row lock,
/// re-checks the lease and skips the row. Every recorded attempt renews the lease in the same statement, and is
/// refused once another dispatcher holds it, so a stalled one cannot overwrite what the new holder records.
/// A dispatcher that dies holding a lease delays that endpoint by one lease, then another sends what was not
/// recorded (at least once, as on one server). A lease rather than a session advisory lock: the client's pool
/// gives no connection for a dispatcher's lifetime, and a lease is visible in the table to whoever operates it.
struct PostgresWebhookStore: WebhookStore {
    let client: PostgresClient
    let logger: Logger
    /// This dispatcher's name in `lease_holder`: unique per process.
    var holder = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    /// How long an endpoint stays this dispatcher's after its claim or its last recorded attempt: longer than
    /// one attempt can take (`WebhookDispatcher.timeout`).
    var lease: Duration = .seconds(60)

    /// One fixed lock id for every server's fan-out on this database.
    static let fanOutLock: Int64 = 358_537_581_653

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func create(_ hook: WebhookRecord) async throws {
        try await client.query("""
            INSERT INTO strata_webhook (id, url, events, secret, created_at)
            VALUES (\(hook.id), \(hook.url), \(hook.events), \(hook.secret), \(hook.createdAt))
            """, logger: logger)
    }

    func endpoints() async throws -> [WebhookRecord] {
        try await hooks(client.query("SELECT id, url, events, secret, created_at FROM strata_webhook ORDER BY created_at, id", logger: logger))
    }

    func endpoint(id: String) async throws -> WebhookRecord? {
        try await hooks(client.query("SELECT id, url, events, secret, created_at FROM strata_webhook WHERE id = \(id)", logger: logger)).first
    }

    func replace(_ hook: WebhookRecord) async throws {
        try await client.query("""
            UPDATE strata_webhook SET url = \(hook.url), events = \(hook.events), secret = \(hook.secret), created_at = \(hook.createdAt)
            WHERE id = \(hook.id)
            """, logger: logger)
    }

    func delete(id: String) async throws {
        try await client.query("DELETE FROM strata_webhook WHERE id = \(id)", logger: logger)
    }

    func latestDeliveries(of webhookID: String, limit: Int) async throws -> [WebhookDeliveryRecord] {
        try await deliveries(client.query("""
            SELECT \(unescaped: Self.deliveryColumns) FROM strata_webhook_delivery WHERE webhook_id = \(webhookID) ORDER BY id DESC LIMIT \(limit)
            """, logger: logger))
    }

    /// Moves up to 500 events in one transaction, unless another server is moving some right now.
    func fanOut() async throws -> Int {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            var locked = false
            for try await taken in try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.fanOutLock))", logger: logger)
                .decode(Bool.self) { locked = taken }
            guard locked else { return 0 }
            var events: [RecordedAssetEvent] = []
            for try await (id, type, data, createdAt) in try await connection.query("""
                DELETE FROM strata_asset_event WHERE id IN (SELECT id FROM strata_asset_event ORDER BY id LIMIT 500)
                RETURNING id, type, data, created_at
                """, logger: logger).decode((Int64, String, String, String).self) {
                events.append(RecordedAssetEvent(id: id, type: type, data: data, createdAt: createdAt))
            }
            guard !events.isEmpty else { return 0 }
            let hooks = try await self.hooks(connection.query("SELECT id, url, events, secret, created_at FROM strata_webhook", logger: logger))
            let deliveries = events.sorted { $0.id < $1.id }.flatMap { $0.deliveries(to: hooks, at: Date()) }
            guard !deliveries.isEmpty else { return events.count }
            try await connection.query("""
                INSERT INTO strata_webhook_delivery (webhook_id, event_id, type, payload, state, attempts, next_attempt_at, created_at)
                SELECT webhook_id, event_id, type, payload, 'pending', 0, now(), now()
                FROM unnest(\(deliveries.map(\.webhookID)), \(deliveries.map(\.eventID)), \(deliveries.map(\.type)), \(deliveries.map(\.payload)))
                    AS d (webhook_id, event_id, type, payload)
                """, logger: logger)
            return events.count
        }
    }

    /// Claims every endpoint with due deliveries whose lease is free or ran out (none of `busy`), and returns up to
    /// 200 of each one's due deliveries in event order.
    func claimDue(excluding busy: Set<String>) async throws -> [String: [WebhookDeliveryRecord]] {
        let due = try await deliveries(client.query("""
            WITH claimed AS (
                UPDATE strata_webhook w SET lease_holder = \(holder), lease_until = now() + make_interval(secs => \(lease.seconds))
                WHERE (w.lease_until IS NULL OR w.lease_until < now()) AND NOT (w.id = ANY(\(Array(busy))))
                  AND EXISTS (SELECT 1 FROM strata_webhook_delivery d
                              WHERE d.webhook_id = w.id AND d.state = 'pending' AND d.next_attempt_at <= now())
                RETURNING w.id
            ), ranked AS (
                SELECT d.*, row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.event_id, d.id) AS rank
                FROM strata_webhook_delivery d JOIN claimed c ON d.webhook_id = c.id
                WHERE d.state = 'pending' AND d.next_attempt_at <= now()
            )
            SELECT \(unescaped: Self.deliveryColumns) FROM ranked WHERE rank <= 200 ORDER BY webhook_id, event_id, id
            """, logger: logger))
        return Dictionary(grouping: due, by: \.webhookID)
    }

    func recordAttempt(_ delivery: WebhookDeliveryRecord) async throws -> Bool {
        let rows = try await client.query("""
            WITH held AS (
                UPDATE strata_webhook SET lease_until = now() + make_interval(secs => \(lease.seconds))
                WHERE id = \(delivery.webhookID) AND lease_holder = \(holder) RETURNING id
            )
            UPDATE strata_webhook_delivery d SET state = \(delivery.state.rawValue), attempts = \(delivery.attempts),
                next_attempt_at = \(delivery.nextAttemptAt), last_status = \(delivery.lastStatus), last_error = \(delivery.lastError),
                delivered_at = \(delivery.deliveredAt)
            FROM held WHERE d.id = \(delivery.id ?? 0) AND d.webhook_id = held.id
            RETURNING d.id
            """, logger: logger)
        return try await !rows.collect().isEmpty
    }

    func release(endpoint webhookID: String) async throws {
        try await client.query("""
            UPDATE strata_webhook SET lease_holder = NULL, lease_until = NULL WHERE id = \(webhookID) AND lease_holder = \(holder)
            """, logger: logger)
    }

    private static let deliveryColumns = """
        id, webhook_id, event_id, type, payload, state, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
        """

    private func deliveries(_ rows: PostgresRowSequence) async throws -> [WebhookDeliveryRecord] {
        var records: [WebhookDeliveryRecord] = []
        for try await (id, webhookID, eventID, type, payload, state, attempts, nextAttemptAt, lastStatus, lastError, createdAt, deliveredAt)
            in rows.decode((Int64, String, Int64, String, String, String, Int, Date, Int?, String?, Date, Date?).self) {
            guard let state = DeliveryState(rawValue: state) else { throw QueueSetupError("delivery \(id) has an unknown state '\(state)'") }
            records.append(WebhookDeliveryRecord(id: id, webhookID: webhookID, eventID: eventID, type: type, payload: payload, state: state,
                                                 attempts: attempts, nextAttemptAt: nextAttemptAt, lastStatus: lastStatus, lastError: lastError,
                                                 createdAt: createdAt, deliveredAt: deliveredAt))
        }
        return records
    }

    private func hooks(_ rows: PostgresRowSequence) async throws -> [WebhookRecord] {
        var records: [WebhookRecord] = []
        for try await (id, url, events, secret, createdAt) in rows.decode((String, String, String, String, Date).self) {
            records.append(WebhookRecord(id: id, url: url, events: events, secret: secret, createdAt: createdAt))
        }
        return records
    }
}

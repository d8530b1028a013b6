import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Turns recorded asset events into stored deliveries (one per subscribed endpoint) and sends them: signed JSON,
/// retried with exponential backoff for `retryWindow`. Everything is in the database first, so deliveries survive
/// restarts (at least once: a crash between a receiver's 2xx and our record of it sends that one again).
/// Each endpoint is served by its own task, in order, so a slow or hanging receiver delays only its own deliveries.
final class WebhookDispatcher: Service, Sendable {
    let database: ServerDatabase
    /// The first retry's delay; each next one doubles, up to `maxDelay`.
    let retryBase: Duration
    static let maxDelay: Double = 3600
    /// How long a delivery is retried before it is marked failed.
    static let retryWindow: Double = 86_400 + 3600
    /// Longest wait for a receiver's answer.
    static let timeout: TimeAmount = .seconds(10)
    let logger: Logger
    /// Endpoints whose deliveries are being sent right now.
    private let busy = Mutex<Set<String>>([])

    init(database: ServerDatabase, retryBase: Duration, logger: Logger) {
        self.database = database
        self.retryBase = retryBase
        self.logger = logger
    }

    func run() async throws {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                configuration: .init(redirectConfiguration: .disallow))
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    while !Task.isCancelled {
                        do {
                            try await self.fanOut()
                            for (endpoint, deliveries) in try await self.dueByEndpoint() {
                                guard self.busy.withLock({ $0.insert(endpoint).inserted }) else { continue }
                                group.addTask {
                                    defer { _ = self.busy.withLock { $0.remove(endpoint) } }
                                    do {
                                        try await self.deliver(deliveries, with: client)
                                    } catch {
                                        self.logger.error("webhook delivery failed", metadata: ["webhook": "\(endpoint)", "error": "\(error)"])
                                    }
                                }
                            }
                        } catch {
                            self.logger.error("webhook dispatch failed", metadata: ["error": "\(error)"])
                        }
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
            }
        } catch {}
        try? await client.shutdown()
    }

    /// Moves each recorded event into one pending delivery per subscribed endpoint, in one transaction.
    func fanOut() async throws {
        try await database.queue.write { db in
            let events = try Row.fetchAll(db, sql: "SELECT id, type, data, createdAt FROM asset_event ORDER BY id LIMIT 500")
            guard !events.isEmpty else { return }
            let hooks = try WebhookRecord.fetchAll(db)
            let now = Date()
            for event in events {
                let id: Int64 = event["id"]
                let type: String = event["type"]
                let data: String = event["data"]
                let createdAt: String = event["createdAt"]
                let payload = #"{"createdAt":"\#(createdAt)","data":\#(data),"id":"evt_\#(id)","type":"\#(type)"}"#
                for hook in hooks where hook.eventList.contains(where: { $0.rawValue == type }) {
                    var delivery = WebhookDeliveryRecord(
                        id: nil, webhookID: hook.id, eventID: id, type: type, payload: payload, state: .pending, attempts: 0,
                        nextAttemptAt: now, lastStatus: nil, lastError: nil, createdAt: now, deliveredAt: nil)
                    try delivery.insert(db)
                }
                try db.execute(sql: "DELETE FROM asset_event WHERE id = ?", arguments: [id])
            }
        }
    }

    /// The pending deliveries that are due, oldest first, grouped by endpoint; none of an endpoint still sending,
    /// so a hanging one's backlog cannot crowd the others out of the batch.
    func dueByEndpoint() async throws -> [String: [WebhookDeliveryRecord]] {
        let sending = Array(busy.withLock { $0 })
        let due = try await database.queue.read { db in
            try WebhookDeliveryRecord.filter(Column("state") == DeliveryState.pending.rawValue && Column("nextAttemptAt") <= Date()
                                                && !sending.contains(Column("webhookID")))
                .order(Column("id")).limit(200).fetchAll(db)
        }
        return Dictionary(grouping: due, by: \.webhookID)
    }

    /// Sends one endpoint's due deliveries in order, recording each answer.
    func deliver(_ deliveries: [WebhookDeliveryRecord], with client: HTTPClient) async throws {
        for delivery in deliveries where !Task.isCancelled {
            guard let hook = try await database.queue.read({ db in try WebhookRecord.fetchOne(db, key: delivery.webhookID) }) else { continue }
            let (status, failure) = await send(delivery, to: hook, with: client)
            try await record(delivery, status: status, failure: failure)
        }
    }

    private func send(_ delivery: WebhookDeliveryRecord, to hook: WebhookRecord, with client: HTTPClient) async -> (Int?, String?) {
        var request = HTTPClientRequest(url: hook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "strata-webhooks")
        request.headers.add(name: "Strata-Event-Id", value: "evt_\(delivery.eventID)")
        request.headers.add(name: "Strata-Event-Type", value: delivery.type)
        request.headers.add(name: WebhookSignature.header,
                            value: WebhookSignature.sign(body: delivery.payload, secret: hook.secret, timestamp: Int(Date().timeIntervalSince1970)))
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        do {
            let response = try await client.execute(request, timeout: WebhookDispatcher.timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            return (code, (200..<300).contains(code) ? nil : "the receiver answered \(code)")
        } catch {
            return (nil, "\(error)")
        }
    }

    private func record(_ delivery: WebhookDeliveryRecord, status: Int?, failure: String?) async throws {
        var updated = delivery
        updated.attempts += 1
        updated.lastStatus = status
        updated.lastError = failure
        let now = Date()
        if failure == nil {
            updated.state = .delivered
            updated.deliveredAt = now
        } else if now.timeIntervalSince(delivery.createdAt) > WebhookDispatcher.retryWindow {
            updated.state = .failed
            logger.warning("webhook delivery abandoned", metadata: ["delivery": "\(delivery.id ?? 0)", "error": "\(failure ?? "")"])
        } else {
            let delay = min(WebhookDispatcher.maxDelay, retryBase.seconds * pow(2, Double(updated.attempts - 1)))
            updated.nextAttemptAt = now.addingTimeInterval(delay)
            logger.info("webhook delivery will be retried", metadata: [
                "delivery": "\(delivery.id ?? 0)", "attempt": "\(updated.attempts)", "in": "\(delay) s", "error": "\(failure ?? "")"])
        }
        try await database.queue.write { [updated] db in try updated.update(db) }
    }
}

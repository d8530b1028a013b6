import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Turns recorded asset events into stored deliveries (one per subscribed endpoint) and sends them: signed JSON,
/// retried with exponential backoff for `retryWindow`. Everything is in the database first, so deliveries survive
/// restarts (at least once: a crash between a receiver's 2xx and our record of it sends that one again).
/// Each endpoint is served by its own task, in order, so a slow or hanging receiver delays only its own deliveries.
/// Several dispatchers may share one store (API servers on one PostgreSQL database): the store fans each event out
/// once and gives each endpoint to one dispatcher at a time (`WebhookStore.claimDue`).
final class WebhookDispatcher: Service, Sendable {
    let store: any WebhookStore
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

    init(store: any WebhookStore, retryBase: Duration, logger: Logger) {
        self.store = store
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
                            try await self.store.fanOut()
                            for (endpoint, deliveries) in try await self.store.claimDue(excluding: self.busy.withLock { $0 }) {
                                guard self.busy.withLock({ $0.insert(endpoint).inserted }) else { continue }
                                group.addTask { await self.serve(endpoint, deliveries, with: client) }
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

    /// Sends one claimed endpoint's deliveries, then gives the endpoint back (to any dispatcher).
    private func serve(_ endpoint: String, _ deliveries: [WebhookDeliveryRecord], with client: HTTPClient) async {
        defer { _ = busy.withLock { $0.remove(endpoint) } }
        do {
            try await deliver(deliveries, with: client)
        } catch {
            logger.error("webhook delivery failed", metadata: ["webhook": "\(endpoint)", "error": "\(error)"])
        }
        do {
            try await store.release(endpoint: endpoint)
        } catch {
            logger.warning("webhook endpoint not released; it is free again when its lease runs out",
                           metadata: ["webhook": "\(endpoint)", "error": "\(error)"])
        }
    }

    /// Sends one endpoint's due deliveries in order, recording each answer; stops when the endpoint has passed to
    /// another dispatcher (this one stalled past its lease), which sends the rest.
    func deliver(_ deliveries: [WebhookDeliveryRecord], with client: HTTPClient) async throws {
        for delivery in deliveries where !Task.isCancelled {
            guard let hook = try await store.endpoint(id: delivery.webhookID) else { continue }
            let (status, failure) = await send(delivery, to: hook, with: client)
            guard try await record(delivery, status: status, failure: failure) else {
                return logger.warning("webhook endpoint passed to another dispatcher; its deliveries continue there",
                                      metadata: ["webhook": "\(delivery.webhookID)", "delivery": "\(delivery.id ?? 0)"])
            }
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

    /// Stores the attempt's outcome; false when the endpoint is no longer this dispatcher's.
    private func record(_ delivery: WebhookDeliveryRecord, status: Int?, failure: String?) async throws -> Bool {
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
        return try await store.recordAttempt(updated)
    }
}

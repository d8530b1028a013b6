import Foundation

/// Where endpoints, their deliveries and the recorded asset events live: the server's own SQLite database
/// (`SQLiteWebhookStore`) or a PostgreSQL database that several API servers share (`PostgresWebhookStore`).
/// In both, triggers on the asset table record every event in the same transaction as the change.
protocol WebhookStore: Sendable {
    /// Adds a new endpoint.
    func create(_ hook: WebhookRecord) async throws
    /// Every endpoint, oldest first.
    func endpoints() async throws -> [WebhookRecord]
    /// The endpoint `id`, or nil when there is none.
    func endpoint(id: String) async throws -> WebhookRecord?
    /// Stores `hook` over the endpoint with its id.
    func replace(_ hook: WebhookRecord) async throws
    /// Removes the endpoint `id` and its deliveries.
    func delete(id: String) async throws
    /// The endpoint's latest `limit` deliveries, newest first.
    func latestDeliveries(of webhookID: String, limit: Int) async throws -> [WebhookDeliveryRecord]

    /// Moves recorded asset events into one pending delivery per subscribed endpoint, each event exactly once
    /// however many dispatchers share the store; returns how many events were moved.
    @discardableResult
    func fanOut() async throws -> Int
    /// The due pending deliveries, oldest event first, grouped by endpoint, of endpoints this dispatcher may send
    /// now (none of `busy`, those it is sending already). An endpoint returned is this dispatcher's until
    /// `release(endpoint:)`: no other dispatcher sends its deliveries meanwhile.
    func claimDue(excluding busy: Set<String>) async throws -> [String: [WebhookDeliveryRecord]]
    /// Stores an attempt's outcome (`delivery` as changed by the attempt); false when the endpoint is no longer
    /// this dispatcher's (it stalled past its lease and another took over), and nothing was stored.
    func recordAttempt(_ delivery: WebhookDeliveryRecord) async throws -> Bool
    /// Lets other dispatchers send the endpoint's deliveries again.
    func release(endpoint webhookID: String) async throws
}

/// One row of the outbox (`asset_event`): an asset's state change, recorded by a trigger, not yet fanned out.
struct RecordedAssetEvent: Sendable {
    var id: Int64
    var type: String
    /// The `data` object, JSON text as the trigger wrote it.
    var data: String
    /// ISO 8601 UTC with milliseconds, as the trigger wrote it.
    var createdAt: String

    /// The JSON body sent, byte for byte on every attempt.
    var payload: String { #"{"createdAt":"\#(createdAt)","data":\#(data),"id":"evt_\#(id)","type":"\#(type)"}"# }

    /// One pending delivery per endpoint of `hooks` subscribed to this event's type, due at once.
    func deliveries(to hooks: [WebhookRecord], at now: Date) -> [WebhookDeliveryRecord] {
        hooks.filter { $0.eventList.contains { $0.rawValue == type } }.map { hook in
            WebhookDeliveryRecord(id: nil, webhookID: hook.id, eventID: id, type: type, payload: payload, state: .pending, attempts: 0,
                                  nextAttemptAt: now, lastStatus: nil, lastError: nil, createdAt: now, deliveredAt: nil)
        }
    }
}

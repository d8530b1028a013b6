import Foundation
import Hummingbird

/// `/v1/webhooks`: register, list, change and remove endpoints; `/v1/webhooks/{id}/deliveries` shows what was sent.
struct WebhookRoutes: Sendable {
    let store: any WebhookStore

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.post("webhooks", use: create)
        group.get("webhooks", use: list)
        group.get("webhooks/:webhook", use: show)
        group.put("webhooks/:webhook", use: replace)
        group.delete("webhooks/:webhook", use: delete)
        group.get("webhooks/:webhook/deliveries", use: deliveries)
    }

    /// What a client sends: the URL, the events (default all), the secret (default a new random one).
    struct EndpointBody: Decodable {
        var url: String
        var events: [String]?
        var secret: String?
    }

    struct EndpointResponse: Encodable {
        var id: String
        var url: String
        var events: [String]
        var secret: String
        var createdAt: Date

        init(_ hook: WebhookRecord) {
            id = hook.id
            url = hook.url
            events = hook.eventList.map(\.rawValue)
            secret = hook.secret
            createdAt = hook.createdAt
        }
    }

    struct DeliveryResponse: Encodable {
        var id: Int64
        var event: String
        var type: String
        var state: DeliveryState
        var attempts: Int
        var nextAttemptAt: Date?
        var lastStatus: Int?
        var lastError: String?
        var createdAt: Date
        var deliveredAt: Date?
        var payload: String
    }

    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let hook = try endpoint(from: try await decodeBody(request), id: "wh_" + RecordID.make(), createdAt: Date(), secret: nil)
        try await store.create(hook)
        return try JSONResponse.make(EndpointResponse(hook), status: .created, headers: [.location: "/v1/webhooks/\(hook.id)"])
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let hooks = try await store.endpoints()
        return try JSONResponse.make(["webhooks": hooks.map(EndpointResponse.init)])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(EndpointResponse(try await existing(context)))
    }

    @Sendable func replace(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let old = try await existing(context)
        let hook = try endpoint(from: try await decodeBody(request), id: old.id, createdAt: old.createdAt, secret: old.secret)
        try await store.replace(hook)
        return try JSONResponse.make(EndpointResponse(hook))
    }

    @Sendable func delete(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let hook = try await existing(context)
        try await store.delete(id: hook.id)
        return Response(status: .noContent)
    }

    /// The latest 100 deliveries, newest first.
    @Sendable func deliveries(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let hook = try await existing(context)
        let rows = try await store.latestDeliveries(of: hook.id, limit: 100)
        return try JSONResponse.make(["deliveries": rows.map { row in
            DeliveryResponse(id: row.id ?? 0, event: "evt_\(row.eventID)", type: row.type, state: row.state, attempts: row.attempts,
                             nextAttemptAt: row.state == .pending ? row.nextAttemptAt : nil, lastStatus: row.lastStatus,
                             lastError: row.lastError, createdAt: row.createdAt, deliveredAt: row.deliveredAt, payload: row.payload)
        }])
    }

    /// A validated endpoint from the request's JSON body; `secret` is kept when the body brings none.
    private func endpoint(from body: EndpointBody, id: String, createdAt: Date, secret: String?) throws -> WebhookRecord {
        guard let url = URL(string: body.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw APIError.badRequest("url must be an absolute http or https URL")
        }
        var events: [WebhookEvent] = WebhookEvent.allCases
        if let names = body.events {
            events = try names.map { name in
                guard let event = WebhookEvent(rawValue: name) else {
                    throw APIError.badRequest("unknown event '\(name.prefix(64))'; events are \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return event
            }
            guard !events.isEmpty else { throw APIError.badRequest("events must name at least one event") }
        }
        if let secret = body.secret, !(16...256).contains(secret.utf8.count) {
            throw APIError.badRequest("secret must be 16 to 256 bytes")
        }
        return WebhookRecord(id: id, url: body.url, events: events.map(\.rawValue).joined(separator: ","),
                             secret: body.secret ?? secret ?? WebhookSignature.newSecret(), createdAt: createdAt)
    }

    private func decodeBody(_ request: Request) async throws -> EndpointBody {
        let data = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(EndpointBody.self, from: Data(data.readableBytesView))
        } catch {
            throw APIError.badRequest(#"the body must be JSON: {"url": "https://…", "events": ["asset.ready"], "secret": "…"}"#)
        }
    }

    private func existing(_ context: BasicRequestContext) async throws -> WebhookRecord {
        let id = context.parameters.get("webhook") ?? ""
        guard let hook = try await store.endpoint(id: id) else {
            throw APIError.notFound("webhook \(id.prefix(64))")
        }
        return hook
    }
}

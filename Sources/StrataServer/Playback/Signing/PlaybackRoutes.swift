import Foundation
import Hummingbird

/// `/v1/assets/{id}/playback-policy`, `/v1/assets/{id}/playback-tokens` and `/v1/playback-signing-key`.
struct PlaybackRoutes: Sendable {
    let state: ServerState
    let access: PlaybackAccess

    /// Longest token lifetime accepted: one year.
    static let maxLifetime = 366 * 86_400

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("assets/:id/playback-policy", use: showPolicy)
        group.put("assets/:id/playback-policy", use: setPolicy)
        group.post("assets/:id/playback-tokens", use: mintToken)
        group.get("playback-signing-key", use: signingKey)
    }

    struct PolicyBody: Codable {
        var policy: PlaybackPolicy
    }

    struct TokenRequest: Decodable {
        /// Seconds from now; default one hour.
        var expiresIn: Int?
    }

    struct TokenResponse: Encodable {
        var token: String
        var expiresAt: Date
        var hls: String
        var dash: String
    }

    @Sendable func showPolicy(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try await existing(context)
        return try JSONResponse.make(["asset": id, "policy": access.policy(of: id).rawValue])
    }

    /// `PUT … {"policy": "public" | "signed"}`
    @Sendable func setPolicy(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try await existing(context)
        let body: PolicyBody = try await decode(request)
        try await access.setPolicy(body.policy, of: id)
        state.logger.info("playback policy set", metadata: ["asset": "\(id)", "policy": "\(body.policy.rawValue)"])
        return try JSONResponse.make(["asset": id, "policy": body.policy.rawValue])
    }

    /// `POST … {"expiresIn": seconds}`: a token and the signed manifest URLs.
    @Sendable func mintToken(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try await existing(context)
        var body = TokenRequest(expiresIn: nil)
        if let length = request.headers[.contentLength], length != "0" { body = try await decode(request) }
        let lifetime = body.expiresIn ?? 3600
        guard (1...PlaybackRoutes.maxLifetime).contains(lifetime) else {
            throw APIError.badRequest("expiresIn must be 1…\(PlaybackRoutes.maxLifetime) seconds")
        }
        let expiry = Int(Date().timeIntervalSince1970) + lifetime
        let token = PlaybackToken.mint(asset: id, expiry: expiry, key: access.key)
        let base = "\(baseURL(request))/stream/\(id)/t/\(token)"
        return try JSONResponse.make(TokenResponse(token: token, expiresAt: Date(timeIntervalSince1970: Double(expiry)),
                                                   hls: "\(base)/master.m3u8", dash: "\(base)/manifest.mpd"), status: .created)
    }

    /// The key, hex, for minting tokens offline (see `PlaybackToken`).
    @Sendable func signingKey(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(["key": PlaybackSigningKey.hex(access.key), "algorithm": "HMAC-SHA256 over '<asset id>/<expiry unix seconds>'; token '<expiry>.<hex signature>'"],
                              headers: [.cacheControl: "no-store"])
    }

    private func decode<Body: Decodable>(_ request: Request) async throws -> Body {
        let data = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(Body.self, from: Data(data.readableBytesView))
        } catch {
            throw APIError.badRequest("the body must be JSON such as {\"policy\": \"signed\"} or {\"expiresIn\": 3600}: \(error)")
        }
    }

    private func existing(_ context: BasicRequestContext) async throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard try await state.store.asset(id) != nil else { throw APIError.notFound("asset \(id)") }
        return id
    }
}

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
        /// Only a viewer connecting from this IP address may use the token.
        var ip: String?
        /// Only requests whose `Referer` has this origin (an http(s) URL or origin) may use the token.
        var referrer: String?
    }

    struct TokenResponse: Encodable {
        var token: String
        var expiresAt: Date
        var hls: String
        var dash: String
        /// The viewer page that plays with this token; absent for a referrer-bound token, since the page's own
        /// requests carry Strata's origin as their referrer, not the embedding site's.
        var watch: String?
        /// What the token is bound to, canonical (as signed).
        var ip: String?
        var referrer: String?
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

    /// `POST … {"expiresIn": seconds, "ip": "203.0.113.7", "referrer": "https://app.example"}`: a token and the signed URLs.
    @Sendable func mintToken(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try await existing(context)
        var body = TokenRequest(expiresIn: nil, ip: nil, referrer: nil)
        if let length = request.headers[.contentLength], length != "0" { body = try await decode(request) }
        let lifetime = body.expiresIn ?? 3600
        guard (1...PlaybackRoutes.maxLifetime).contains(lifetime) else {
            throw APIError.badRequest("expiresIn must be 1…\(PlaybackRoutes.maxLifetime) seconds")
        }
        var binding = ViewerBinding()
        if let ip = body.ip {
            guard let canonical = ViewerBinding.canonicalIP(ip) else {
                throw APIError(.badRequest, "invalid_ip", "ip '\(ip.prefix(64))' is not an IPv4 or IPv6 address")
            }
            binding.ip = canonical
        }
        if let referrer = body.referrer {
            guard let origin = ViewerBinding.origin(referrer) else {
                throw APIError(.badRequest, "invalid_referrer", "referrer '\(referrer.prefix(64))' is not an http(s) URL or origin such as https://app.example.com")
            }
            binding.referrer = origin
        }
        let expiry = Int(Date().timeIntervalSince1970) + lifetime
        let token = PlaybackToken.mint(asset: id, expiry: expiry, binding: binding, key: access.key)
        let base = "\(baseURL(request))/stream/\(id)/t/\(token)"
        return try JSONResponse.make(TokenResponse(token: token, expiresAt: Date(timeIntervalSince1970: Double(expiry)),
                                                   hls: "\(base)/master.m3u8", dash: "\(base)/manifest.mpd",
                                                   watch: binding.referrer == nil ? "\(baseURL(request))/watch/\(id)?token=\(token)" : nil,
                                                   ip: binding.ip, referrer: binding.referrer), status: .created)
    }

    /// The key, hex, for minting tokens offline (see `PlaybackToken`).
    @Sendable func signingKey(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(["key": PlaybackSigningKey.hex(access.key),
                               "algorithm": "HMAC-SHA256 over '<asset id>/<expiry unix seconds>' (+ '/ip=<address>' if bound to an IP, + '/referrer=<origin>' if bound to a referrer); token '<expiry>.<hex signature>' or '<expiry>.<i|r|ir>.<hex signature>' when bound"],
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

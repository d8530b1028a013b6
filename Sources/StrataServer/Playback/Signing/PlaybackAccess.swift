import Crypto
import Foundation
import Hummingbird
import Synchronization

/// An asset's playback policy: `public` (anyone with the URL) or `signed` (only with a valid token).
enum PlaybackPolicy: String, Codable, CaseIterable, Sendable {
    case `public`, signed
}

/// Who may read an asset's package: the signed assets (kept in memory, like `PublishedPackages`, so a segment
/// request needs no query) and the key tokens are checked against. With several API servers on one database, each
/// server's view follows the others' changes through `reload(asset:)` and `reloadAll()`.
final class PlaybackAccess: Sendable {
    /// The signing key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`).
    private let keyBytes: Data
    private let rows: any PlaybackPolicyRows
    private let signed: Mutex<SignedAssets>
    /// Whether `X-Forwarded-For` names the viewer (`--trust-forwarded-for`, behind a reverse proxy).
    let trustsForwardedFor: Bool

    /// Reads every signed asset from `rows`.
    init(rows: any PlaybackPolicyRows, key: SymmetricKey, trustsForwardedFor: Bool = false) async throws {
        self.rows = rows
        self.trustsForwardedFor = trustsForwardedFor
        keyBytes = key.withUnsafeBytes { Data($0) }
        signed = Mutex(SignedAssets(try await rows.signedAssets()))
    }

    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    func policy(of asset: String) -> PlaybackPolicy {
        signed.withLock { $0.assets.contains(asset) } ? .signed : .public
    }

    /// Records the policy and applies it to the next request.
    func setPolicy(_ policy: PlaybackPolicy, of asset: String) async throws {
        try await rows.setPolicy(policy, of: asset)
        signed.withLock { view in
            let ticket = view.ticket()
            view.apply(policy, of: asset, read: ticket)
        }
    }

    /// Re-reads one asset's policy: another server changed it (a notification on `strata_asset`) or the asset is gone.
    func reload(asset: String) async throws {
        let ticket = signed.withLock { $0.ticket() }
        let policy = try await rows.policy(of: asset)
        signed.withLock { $0.apply(policy, of: asset, read: ticket) }
    }

    /// Re-reads every policy: after (re)connecting to the database, when notifications may have been missed.
    func reloadAll() async throws {
        let ticket = signed.withLock { $0.ticket() }
        let all = try await rows.signedAssets()
        signed.withLock { $0.applyAll(all, read: ticket) }
    }

    /// Lets `request` for `asset` through, or throws 403: a token, when present, must be valid for this asset,
    /// unexpired and, when bound, used by its viewer; without one the asset must be public.
    func authorize(asset: String, token: Substring?, request: Request) throws(APIError) {
        if let token {
            let viewer = ViewerBinding(request: request, trustingForwardedFor: trustsForwardedFor)
            guard let parsed = PlaybackToken(token) else { throw APIError.invalidToken }
            if parsed.bindsReferrer, viewer.referrer == nil {
                throw APIError(.forbidden, "invalid_token", "this playback token is bound to a referring site and the request has no http(s) Referer")
            }
            guard parsed.opens(asset, key: key, viewer: viewer) else { throw APIError.invalidToken }
            return
        }
        guard policy(of: asset) == .public else {
            throw APIError(.forbidden, "token_required", "this asset plays only with a signed token: /stream/{id}/t/{token}/…")
        }
    }
}

extension APIError {
    /// A token that does not open the asset for this request.
    static let invalidToken = APIError(.forbidden, "invalid_token",
                                       "the playback token is expired, altered, for another asset, or bound to another viewer IP or referrer; ask for a new one")
}

import Crypto
import Foundation
import GRDB
import Hummingbird
import Synchronization

/// An asset's playback policy: `public` (anyone with the URL) or `signed` (only with a valid token).
enum PlaybackPolicy: String, Codable, CaseIterable, Sendable {
    case `public`, signed
}

/// Who may read an asset's package: the signed assets (kept in memory, like `PublishedPackages`, so a segment
/// request needs no query) and the key tokens are checked against.
final class PlaybackAccess: Sendable {
    /// The signing key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`).
    private let keyBytes: Data
    private let database: ServerDatabase
    private let signed: Mutex<Set<String>>
    /// Whether `X-Forwarded-For` names the viewer (`--trust-forwarded-for`, behind a reverse proxy).
    let trustsForwardedFor: Bool

    init(database: ServerDatabase, key: SymmetricKey, trustsForwardedFor: Bool = false) throws {
        self.database = database
        self.trustsForwardedFor = trustsForwardedFor
        keyBytes = key.withUnsafeBytes { Data($0) }
        signed = Mutex(Set(try database.queue.read { db in
            try String.fetchAll(db, sql: "SELECT assetID FROM playback_policy WHERE policy = 'signed'")
        }))
    }

    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    func policy(of asset: String) -> PlaybackPolicy {
        signed.withLock { $0.contains(asset) } ? .signed : .public
    }

    /// Records the policy and applies it to the next request.
    func setPolicy(_ policy: PlaybackPolicy, of asset: String) async throws {
        try await database.queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO playback_policy (assetID, policy) VALUES (?, ?)", arguments: [asset, policy.rawValue])
        }
        _ = signed.withLock { policy == .signed ? $0.insert(asset).inserted : $0.remove(asset) != nil }
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

    /// Registers the policy table's migration.
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-playback-policy") { db in
            try db.create(table: "playback_policy") { table in
                table.primaryKey("assetID", .text).references("asset", onDelete: .cascade)
                table.column("policy", .text).notNull()
            }
        }
    }
}

extension APIError {
    /// A token that does not open the asset for this request.
    static let invalidToken = APIError(.forbidden, "invalid_token",
                                       "the playback token is expired, altered, for another asset, or bound to another viewer IP or referrer; ask for a new one")
}

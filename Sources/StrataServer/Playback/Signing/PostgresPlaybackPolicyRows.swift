import Logging
import PostgresNIO

/// Playback policies in the shared PostgreSQL database (table `strata_playback_policy`); its trigger announces
/// every change on the channel `strata_asset`, so each API server reloads that asset's policy (`PlaybackAccess.reload`).
struct PostgresPlaybackPolicyRows: PlaybackPolicyRows {
    let client: PostgresClient
    let logger: Logger

    func setPolicy(_ policy: PlaybackPolicy, of asset: String) async throws {
        try await client.query("""
            INSERT INTO strata_playback_policy (asset_id, policy) VALUES (\(asset), \(policy.rawValue))
            ON CONFLICT (asset_id) DO UPDATE SET policy = EXCLUDED.policy
            """, logger: logger)
    }

    func policy(of asset: String) async throws -> PlaybackPolicy {
        let rows = try await client.query("SELECT policy FROM strata_playback_policy WHERE asset_id = \(asset)", logger: logger)
        for try await policy in rows.decode(String.self) { return PlaybackPolicy(rawValue: policy) ?? .public }
        return .public
    }

    func signedAssets() async throws -> Set<String> {
        let rows = try await client.query("SELECT asset_id FROM strata_playback_policy WHERE policy = 'signed'", logger: logger)
        var assets: Set<String> = []
        for try await asset in rows.decode(String.self) { assets.insert(asset) }
        return assets
    }
}

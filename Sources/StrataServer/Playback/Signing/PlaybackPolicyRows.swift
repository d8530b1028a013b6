/// Where assets' playback policies live: SQLite (`SQLitePlaybackPolicyRows`) or PostgreSQL
/// (`PostgresPlaybackPolicyRows`, whose changes are announced on the channel `strata_asset`). An asset without a
/// row is public.
protocol PlaybackPolicyRows: Sendable {
    func setPolicy(_ policy: PlaybackPolicy, of asset: String) async throws
    func policy(of asset: String) async throws -> PlaybackPolicy
    /// Every asset whose policy is `signed`.
    func signedAssets() async throws -> Set<String>
}

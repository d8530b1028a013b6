import GRDB

/// Playback policies in the server's own SQLite database (table `playback_policy`).
struct SQLitePlaybackPolicyRows: PlaybackPolicyRows {
    let database: ServerDatabase

    func setPolicy(_ policy: PlaybackPolicy, of asset: String) async throws {
        try await database.queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO playback_policy (assetID, policy) VALUES (?, ?)", arguments: [asset, policy.rawValue])
        }
    }

    func policy(of asset: String) async throws -> PlaybackPolicy {
        let stored = try await database.queue.read { db in
            try String.fetchOne(db, sql: "SELECT policy FROM playback_policy WHERE assetID = ?", arguments: [asset])
        }
        return stored.flatMap(PlaybackPolicy.init(rawValue:)) ?? .public
    }

    func signedAssets() async throws -> Set<String> {
        Set(try await database.queue.read { db in
            try String.fetchAll(db, sql: "SELECT assetID FROM playback_policy WHERE policy = 'signed'")
        })
    }
}

extension PlaybackAccess {
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

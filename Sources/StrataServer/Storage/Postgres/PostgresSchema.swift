import Logging
import PostgresNIO

/// The shared database's tables, created and changed by numbered migrations that every process applies at start:
/// the workers' queue, then the API servers' assets, jobs, uploads, playback policies and webhooks.
///
/// Migrations run in one transaction under an advisory lock, so workers starting together apply each once.
enum PostgresSchema {
    /// Each migration is a list of statements (the extended protocol takes one statement per query); append only.
    static let migrations: [[PostgresQuery]] = [
        unitTables(.units, assetID: "asset_id TEXT NOT NULL"),
        PostgresAssetSchema.statements,
        PostgresUploadSchema.statements,
        PostgresWebhookSchema.statements,
    ]

    /// A table of units of one shape and the table of their attempts (`QueueTables`): the workers' units, and the
    /// API servers' jobs, whose `assetID` column references the asset.
    static func unitTables(_ tables: QueueTables, assetID: String) -> [PostgresQuery] {
        let (units, attempts) = (tables.units, tables.attempts)
        return [
            """
            CREATE TABLE \(unescaped: units) (
                id BIGSERIAL PRIMARY KEY,
                \(unescaped: assetID),
                kind TEXT NOT NULL,
                work_order TEXT NOT NULL,
                -- Who queued it, e.g. the API server's job: queuing the same source twice returns the first unit.
                source TEXT UNIQUE,
                state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                available_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                lease_until TIMESTAMPTZ,
                worker TEXT,
                progress DOUBLE PRECISION NOT NULL DEFAULT 0,
                playable_seconds DOUBLE PRECISION NOT NULL DEFAULT 0,
                result TEXT,
                error TEXT,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX \(unescaped: units)_claimable ON \(unescaped: units) (state, available_at, id)",
            "CREATE INDEX \(unescaped: units)_asset ON \(unescaped: units) (asset_id)",
            """
            CREATE TABLE \(unescaped: attempts) (
                id BIGSERIAL PRIMARY KEY,
                unit_id BIGINT NOT NULL REFERENCES \(unescaped: units) (id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                worker TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                ended_at TIMESTAMPTZ,
                outcome TEXT,
                error TEXT
            )
            """,
            "CREATE INDEX \(unescaped: attempts)_unit ON \(unescaped: attempts) (unit_id)",
        ]
    }

    /// Brings the database to the latest version; returns the versions applied now.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            // One fixed lock id for every Strata process on this database.
            try await connection.query("SELECT pg_advisory_xact_lock(358537581652)", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS strata_schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var current = 0
            for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM strata_schema_version", logger: logger)
                .decode(Int.self) { current = version }
            var applied: [Int] = []
            for (index, statements) in migrations.enumerated() where index + 1 > current {
                for statement in statements { try await connection.query(statement, logger: logger) }
                try await connection.query("INSERT INTO strata_schema_version (version) VALUES (\(index + 1))", logger: logger)
                applied.append(index + 1)
            }
            return applied
        }
    }
}

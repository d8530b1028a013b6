import PostgresNIO

/// Assets, their sidecars and the API servers' jobs, when they live in PostgreSQL (`--database postgres://…`)
/// for several API servers and workers to share. The shapes follow the SQLite tables (`ServerDatabase`), with
/// PostgreSQL's own types and snake_case names.
///
/// Every change that matters to players (a new asset, its status, publication, package version or playable
/// seconds, its removal) is announced on the channel `strata_asset` with the asset's id, so each API server
/// updates its in-memory view of what is published (`PublishedSync`).
enum PostgresAssetSchema {
    static let statements: [PostgresQuery] = [
        """
        CREATE TABLE strata_asset (
            id TEXT PRIMARY KEY,
            title TEXT,
            profile_name TEXT NOT NULL,
            profile_json TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
            progress DOUBLE PRECISION NOT NULL,
            error_code TEXT,
            error_message TEXT,
            published BOOLEAN NOT NULL,
            package_version INTEGER NOT NULL,
            master_size BIGINT NOT NULL,
            facts_json TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            playable_seconds DOUBLE PRECISION NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX strata_asset_created ON strata_asset (created_at)",
        """
        CREATE TABLE strata_sidecar (
            id BIGSERIAL PRIMARY KEY,
            asset_id TEXT NOT NULL REFERENCES strata_asset (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            variant TEXT NOT NULL,
            file_name TEXT NOT NULL,
            state TEXT NOT NULL,
            error_message TEXT,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX strata_sidecar_asset ON strata_sidecar (asset_id)",
        // The API servers' jobs: the same shape as strata_unit (PostgresJobQueue runs both), gone with their asset.
    ] + PostgresSchema.unitTables(.jobs, assetID: "asset_id TEXT NOT NULL REFERENCES strata_asset (id) ON DELETE CASCADE") + [
        """
        CREATE FUNCTION strata_announce_asset() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('strata_asset', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
            RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER strata_asset_announce AFTER INSERT OR DELETE ON strata_asset FOR EACH ROW EXECUTE FUNCTION strata_announce_asset()",
        // Progress alone changes nothing players see, and is written several times a second.
        """
        CREATE TRIGGER strata_asset_announce_change AFTER UPDATE ON strata_asset FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published IS DISTINCT FROM NEW.published
              OR OLD.package_version IS DISTINCT FROM NEW.package_version OR OLD.playable_seconds IS DISTINCT FROM NEW.playable_seconds)
        EXECUTE FUNCTION strata_announce_asset()
        """,
    ]
}

import PostgresNIO

/// Resumable uploads, direct-upload URLs and playback policies, when they live in PostgreSQL for several API servers
/// to share (`PostgresTusUploadRows`, `PostgresDirectUploadRows`, `PostgresPlaybackPolicyRows`). The shapes follow the
/// SQLite tables (`TusUploadRecord`, `DirectUploadRecord`, `playback_policy`) with snake_case names.
///
/// A policy change is announced on the channel `strata_asset` with the asset's id, as the asset's own changes are, so
/// every API server reloads that asset's policy (`PlaybackAccess.reload`).
enum PostgresUploadSchema {
    static let statements: [PostgresQuery] = [
        // `offset` is a reserved word in SQL, hence upload_offset. The writer's lease: who may append now, until when.
        """
        CREATE TABLE strata_tus_upload (
            id TEXT PRIMARY KEY,
            length BIGINT NOT NULL CHECK (length > 0),
            upload_offset BIGINT NOT NULL CHECK (upload_offset BETWEEN 0 AND length),
            profile_name TEXT NOT NULL,
            title TEXT,
            metadata TEXT,
            asset_id TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            audio_languages TEXT,
            writer TEXT,
            writer_until TIMESTAMPTZ
        )
        """,
        "CREATE INDEX strata_tus_upload_incomplete ON strata_tus_upload (expires_at) WHERE asset_id IS NULL",
        """
        CREATE TABLE strata_direct_upload (
            id TEXT PRIMARY KEY,
            profile_name TEXT NOT NULL,
            title TEXT,
            cors_origin TEXT,
            expires_at TIMESTAMPTZ NOT NULL,
            upload_id TEXT UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            audio_languages TEXT
        )
        """,
        """
        CREATE TABLE strata_playback_policy (
            asset_id TEXT PRIMARY KEY REFERENCES strata_asset (id) ON DELETE CASCADE,
            policy TEXT NOT NULL CHECK (policy IN ('public', 'signed'))
        )
        """,
        """
        CREATE FUNCTION strata_announce_playback_policy() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('strata_asset', CASE WHEN TG_OP = 'DELETE' THEN OLD.asset_id ELSE NEW.asset_id END);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER strata_playback_policy_announce AFTER INSERT OR UPDATE OR DELETE
        ON strata_playback_policy FOR EACH ROW EXECUTE FUNCTION strata_announce_playback_policy()
        """,
    ]
}

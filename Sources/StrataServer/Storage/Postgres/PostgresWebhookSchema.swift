import PostgresNIO

/// Webhook endpoints, their deliveries and the outbox of asset events, when assets live in PostgreSQL
/// (`PostgresWebhookStore`). The shapes follow the SQLite tables (`WebhookSchema`, `PlayableEventSchema`), and the
/// triggers on `strata_asset` record exactly the events SQLite's record, with the same payloads: the same types,
/// conditions and order, and the same JSON keys and value types.
enum PostgresWebhookSchema {
    static let statements: [PostgresQuery] = [
        """
        CREATE TABLE strata_webhook (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            -- The API server sending this endpoint's deliveries, and until when (PostgresWebhookStore.claimDue).
            lease_holder TEXT,
            lease_until TIMESTAMPTZ
        )
        """,
        """
        CREATE TABLE strata_webhook_delivery (
            id BIGSERIAL PRIMARY KEY,
            webhook_id TEXT NOT NULL REFERENCES strata_webhook (id) ON DELETE CASCADE,
            event_id BIGINT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL,
            next_attempt_at TIMESTAMPTZ NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ
        )
        """,
        "CREATE INDEX strata_webhook_delivery_endpoint ON strata_webhook_delivery (webhook_id, event_id)",
        "CREATE INDEX strata_webhook_delivery_due ON strata_webhook_delivery (next_attempt_at) WHERE state = 'pending'",
        // The outbox: one row per state change, fanned out to deliveries by a WebhookDispatcher.
        "CREATE TABLE strata_asset_event (id BIGSERIAL PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL)",
        // Which assets have had their asset.playable: once per asset, across restarts, re-runs and repackaging.
        "CREATE TABLE strata_asset_playable_event (asset_id TEXT PRIMARY KEY REFERENCES strata_asset (id) ON DELETE CASCADE)",
        """
        INSERT INTO strata_asset_playable_event (asset_id)
        SELECT id FROM strata_asset
        WHERE package_version > 0 AND (status = 'ready' OR (status IN ('queued', 'processing') AND playable_seconds > 0))
        """,
        // An event's `data` object (SQLite: WebhookSchema.eventData).
        """
        CREATE FUNCTION strata_asset_event_data(a strata_asset) RETURNS TEXT LANGUAGE sql STABLE AS $$
            SELECT jsonb_build_object('id', a.id, 'title', a.title, 'profile', a.profile_name, 'status', a.status,
                'progress', a.progress, 'published', a.published,
                'error', CASE WHEN a.error_code IS NULL THEN NULL ELSE jsonb_build_object('code', a.error_code, 'message', a.error_message) END
            )::text
        $$
        """,
        """
        CREATE FUNCTION strata_record_asset_event(event_type TEXT, data TEXT) RETURNS void LANGUAGE sql AS $$
            INSERT INTO strata_asset_event (type, data, created_at)
            VALUES (event_type, data, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        $$
        """,
        // One function in a fixed order where SQLite has one trigger per event: when one update makes several true,
        // SQLite fires its triggers newest first (progress, published, then status), and so does this.
        """
        CREATE FUNCTION strata_asset_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                PERFORM strata_record_asset_event('asset.created', strata_asset_event_data(NEW));
                IF NEW.status = 'failed' THEN
                    PERFORM strata_record_asset_event('asset.failed', strata_asset_event_data(NEW));
                END IF;
            ELSIF TG_OP = 'UPDATE' THEN
                -- Throttled: one event per tenth of the work done.
                IF NEW.status = 'processing' AND trunc(NEW.progress * 10) > trunc(OLD.progress * 10) THEN
                    PERFORM strata_record_asset_event('asset.progress', strata_asset_event_data(NEW));
                END IF;
                IF NEW.published <> OLD.published THEN
                    PERFORM strata_record_asset_event(CASE WHEN NEW.published THEN 'asset.published' ELSE 'asset.unpublished' END,
                                                      strata_asset_event_data(NEW));
                END IF;
                IF NEW.status <> OLD.status AND NEW.status IN ('ready', 'failed') THEN
                    PERFORM strata_record_asset_event('asset.' || NEW.status, strata_asset_event_data(NEW));
                END IF;
            ELSE
                PERFORM strata_record_asset_event('asset.deleted', jsonb_build_object('id', OLD.id, 'title', OLD.title, 'status', 'deleted')::text);
            END IF;
            RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER strata_asset_events AFTER INSERT OR UPDATE OR DELETE ON strata_asset FOR EACH ROW EXECUTE FUNCTION strata_asset_events()",
        // BEFORE, so that when one update makes an asset playable and ready at once, asset.playable comes first.
        // The condition is AssetRecord.isPlayable.
        """
        CREATE FUNCTION strata_asset_playable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO strata_asset_playable_event (asset_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
            IF FOUND THEN
                PERFORM strata_record_asset_event('asset.playable', strata_asset_event_data(NEW));
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE TRIGGER strata_asset_playable BEFORE UPDATE OF status, playable_seconds, package_version ON strata_asset FOR EACH ROW
        WHEN (NEW.package_version > 0 AND (NEW.status = 'ready' OR (NEW.status IN ('queued', 'processing') AND NEW.playable_seconds > 0)))
        EXECUTE FUNCTION strata_asset_playable()
        """,
    ]
}

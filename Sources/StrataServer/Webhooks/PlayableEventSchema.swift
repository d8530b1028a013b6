import GRDB

/// `asset.playable`: recorded once per asset, the first time players could start it (its job listed the first
/// segments, or the package was complete before any were listed), like the other events by a trigger in the same
/// transaction as the change.
enum PlayableEventSchema {
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-playable-event") { db in
            // Which assets have had their event: "once per asset" survives restarts, re-runs and repackaging.
            try db.create(table: "asset_playable_event") { table in
                table.primaryKey("assetID", .text).references("asset", onDelete: .cascade)
            }
            try db.execute(sql: """
                INSERT INTO asset_playable_event (assetID)
                SELECT id FROM asset WHERE packageVersion > 0 AND (status = 'ready' OR (status IN ('queued', 'processing') AND playableSeconds > 0));
                """)
            // BEFORE, so that when one update makes an asset playable and ready at once, asset.playable comes first.
            // The condition is AssetRecord.isPlayable.
            try db.execute(sql: """
                CREATE TRIGGER asset_event_playable BEFORE UPDATE OF status, playableSeconds, packageVersion ON asset
                WHEN NEW.packageVersion > 0
                     AND (NEW.status = 'ready' OR (NEW.status IN ('queued', 'processing') AND NEW.playableSeconds > 0))
                     AND NOT EXISTS (SELECT 1 FROM asset_playable_event WHERE assetID = NEW.id) BEGIN
                    INSERT INTO asset_playable_event (assetID) VALUES (NEW.id);
                    INSERT INTO asset_event (type, data, createdAt)
                    VALUES ('asset.playable', \(WebhookSchema.eventData), \(WebhookSchema.eventTime));
                END;
                """)
        }
    }
}

import Foundation
import Logging
import PostgresNIO

/// Resumable uploads' rows in the shared PostgreSQL database (table `strata_tus_upload`), for several API servers.
///
/// Leases are measured on the database's clock (`now()`), the one clock every server shares; a concurrent claim
/// waits for the row lock and then finds the lease taken, so two servers never both hold it.
struct PostgresTusUploadRows: TusUploadRows {
    let client: PostgresClient
    let logger: Logger

    func insert(_ upload: TusUploadRecord) async throws {
        try await client.query("""
            INSERT INTO strata_tus_upload (id, length, upload_offset, profile_name, title, metadata, asset_id, created_at, expires_at, audio_languages)
            VALUES (\(upload.id), \(upload.length), \(upload.offset), \(upload.profileName), \(upload.title), \(upload.metadata),
                    \(upload.assetID), \(upload.createdAt), \(upload.expiresAt), \(upload.audioLanguages))
            """, logger: logger)
    }

    func upload(_ id: String) async throws -> TusUploadRecord? {
        let rows = try await client.query("""
            SELECT id, length, upload_offset, profile_name, title, metadata, asset_id, created_at, expires_at, audio_languages
            FROM strata_tus_upload WHERE id = \(id)
            """, logger: logger)
        for try await (id, length, offset, profile, title, metadata, asset, created, expires, languages)
            in rows.decode((String, Int, Int, String, String?, String?, String?, Date, Date, String?).self) {
            return TusUploadRecord(id: id, length: length, offset: offset, profileName: profile, title: title, metadata: metadata,
                                   assetID: asset, createdAt: created, expiresAt: expires, audioLanguages: languages)
        }
        return nil
    }

    func setOffset(_ id: String, _ offset: Int, writer: String) async throws -> Bool {
        try await changed("UPDATE strata_tus_upload SET upload_offset = \(offset) WHERE id = \(id) AND writer = \(writer) RETURNING id")
    }

    func complete(_ id: String, asset: String) async throws {
        _ = try await changed("UPDATE strata_tus_upload SET asset_id = \(asset) WHERE id = \(id) RETURNING id")
    }

    func remove(_ id: String) async throws {
        _ = try await changed("DELETE FROM strata_tus_upload WHERE id = \(id) RETURNING id")
    }

    func removeExpired(before now: Date) async throws -> [String] {
        let rows = try await client.query("""
            DELETE FROM strata_tus_upload WHERE asset_id IS NULL AND expires_at < \(now) AND (writer IS NULL OR writer_until < now())
            RETURNING id
            """, logger: logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    func claimWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool {
        try await changed("""
            UPDATE strata_tus_upload SET writer = \(holder), writer_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = \(id) AND (writer IS NULL OR writer_until < now()) RETURNING id
            """)
    }

    func renewWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool {
        try await changed("""
            UPDATE strata_tus_upload SET writer_until = now() + make_interval(secs => \(lease.seconds))
            WHERE id = \(id) AND writer = \(holder) RETURNING id
            """)
    }

    func releaseWriter(_ id: String, holder: String) async throws {
        _ = try await changed("UPDATE strata_tus_upload SET writer = NULL, writer_until = NULL WHERE id = \(id) AND writer = \(holder) RETURNING id")
    }

    /// Runs one statement ending in `RETURNING`; whether it touched a row.
    private func changed(_ query: PostgresQuery) async throws -> Bool {
        try await !client.query(query, logger: logger).collect().isEmpty
    }
}

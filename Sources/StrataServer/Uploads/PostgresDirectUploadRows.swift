import Foundation
import Logging
import PostgresNIO

/// Direct uploads' rows in the shared PostgreSQL database (table `strata_direct_upload`).
///
/// The claim is one conditional UPDATE: a second server's concurrent claim waits for the first one's row lock, then
/// re-reads the row, finds `upload_id` set and changes nothing.
struct PostgresDirectUploadRows: DirectUploadRows {
    let client: PostgresClient
    let logger: Logger

    func insert(_ direct: DirectUploadRecord) async throws {
        try await client.query("""
            INSERT INTO strata_direct_upload (id, profile_name, title, cors_origin, expires_at, upload_id, created_at, audio_languages)
            VALUES (\(direct.id), \(direct.profileName), \(direct.title), \(direct.corsOrigin), \(direct.expiresAt), \(direct.uploadID),
                    \(direct.createdAt), \(direct.audioLanguages))
            """, logger: logger)
    }

    func directUpload(_ id: String) async throws -> DirectUploadRecord? {
        let rows = try await client.query("""
            SELECT id, profile_name, title, cors_origin, expires_at, upload_id, created_at, audio_languages
            FROM strata_direct_upload WHERE id = \(id)
            """, logger: logger)
        for try await (id, profile, title, origin, expires, upload, created, languages)
            in rows.decode((String, String, String?, String?, Date, String?, Date, String?).self) {
            return DirectUploadRecord(id: id, profileName: profile, title: title, corsOrigin: origin, expiresAt: expires, uploadID: upload,
                                      createdAt: created, audioLanguages: languages)
        }
        return nil
    }

    func claim(_ id: String, upload: String) async throws -> Bool {
        try await !client.query("""
            UPDATE strata_direct_upload SET upload_id = \(upload)
            WHERE id = \(id) AND upload_id IS NULL AND expires_at > now() RETURNING id
            """, logger: logger).collect().isEmpty
    }
}

import Foundation
import GRDB

/// Direct uploads' rows in the server's own SQLite database (table `direct_upload`).
struct SQLiteDirectUploadRows: DirectUploadRows {
    let database: ServerDatabase

    func insert(_ direct: DirectUploadRecord) async throws {
        try await database.queue.write { db in try direct.insert(db) }
    }

    func directUpload(_ id: String) async throws -> DirectUploadRecord? {
        try await database.queue.read { db in try DirectUploadRecord.fetchOne(db, key: id) }
    }

    func claim(_ id: String, upload: String) async throws -> Bool {
        try await database.queue.write { db in
            try db.execute(sql: "UPDATE direct_upload SET uploadID = ? WHERE id = ? AND uploadID IS NULL AND expiresAt > ?",
                           arguments: [upload, id, Date()])
            return db.changesCount > 0
        }
    }
}

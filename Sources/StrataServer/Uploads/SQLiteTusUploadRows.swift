import Foundation
import GRDB

/// Resumable uploads' rows in the server's own SQLite database (table `tus_upload`).
struct SQLiteTusUploadRows: TusUploadRows {
    let database: ServerDatabase

    /// SQLite is one server's database: a lease a previous run left behind (killed mid-PATCH) is void, so a client
    /// resuming after a restart is not told to wait for a writer that no longer exists.
    init(database: ServerDatabase) throws {
        self.database = database
        try database.queue.write { db in try db.execute(sql: "UPDATE tus_upload SET writer = NULL, writerUntil = NULL WHERE writer IS NOT NULL") }
    }

    func insert(_ upload: TusUploadRecord) async throws {
        try await database.queue.write { db in try upload.insert(db) }
    }

    func upload(_ id: String) async throws -> TusUploadRecord? {
        try await database.queue.read { db in try TusUploadRecord.fetchOne(db, key: id) }
    }

    func setOffset(_ id: String, _ offset: Int, writer: String) async throws -> Bool {
        try await changes("UPDATE tus_upload SET \"offset\" = ? WHERE id = ? AND writer = ?", [offset, id, writer])
    }

    func complete(_ id: String, asset: String) async throws {
        _ = try await changes("UPDATE tus_upload SET assetID = ? WHERE id = ?", [asset, id])
    }

    func remove(_ id: String) async throws {
        _ = try await database.queue.write { db in try TusUploadRecord.deleteOne(db, key: id) }
    }

    func removeExpired(before now: Date) async throws -> [String] {
        try await database.queue.write { db in
            let expired = "assetID IS NULL AND expiresAt < ? AND (writer IS NULL OR writerUntil < ?)"
            let arguments: StatementArguments = [now, Date()]
            let ids = try String.fetchAll(db, sql: "SELECT id FROM tus_upload WHERE \(expired)", arguments: arguments)
            try db.execute(sql: "DELETE FROM tus_upload WHERE \(expired)", arguments: arguments)
            return ids
        }
    }

    func claimWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool {
        let now = Date()
        return try await changes("UPDATE tus_upload SET writer = ?, writerUntil = ? WHERE id = ? AND (writer IS NULL OR writerUntil < ?)",
                                 [holder, now.addingTimeInterval(lease.seconds), id, now])
    }

    func renewWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool {
        try await changes("UPDATE tus_upload SET writerUntil = ? WHERE id = ? AND writer = ?", [Date().addingTimeInterval(lease.seconds), id, holder])
    }

    func releaseWriter(_ id: String, holder: String) async throws {
        _ = try await changes("UPDATE tus_upload SET writer = NULL, writerUntil = NULL WHERE id = ? AND writer = ?", [id, holder])
    }

    /// Runs one UPDATE; whether it changed a row.
    private func changes(_ sql: String, _ arguments: StatementArguments) async throws -> Bool {
        try await database.queue.write { db in
            try db.execute(sql: sql, arguments: arguments)
            return db.changesCount > 0
        }
    }
}

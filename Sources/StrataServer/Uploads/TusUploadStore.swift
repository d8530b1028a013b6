import Foundation
import GRDB

/// Resumable uploads' rows and files: `<data>/tus/<id>` holds the bytes received so far.
struct TusUploadStore: Sendable {
    let database: ServerDatabase
    let folder: URL

    init(database: ServerDatabase, dataDirectory: URL) throws {
        self.database = database
        folder = dataDirectory.appendingPathComponent("tus")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The file of a validated id.
    func file(of id: String) -> URL {
        precondition(TusUploadID.isValid(id), "tus upload ids are checked before they name a file")
        return folder.appendingPathComponent(id)
    }

    /// Records a new upload and creates its empty file.
    func create(_ upload: TusUploadRecord) async throws {
        guard FileManager.default.createFile(atPath: file(of: upload.id).path, contents: nil) else {
            throw APIError(.insufficientStorage, "insufficient_storage", "the server cannot create the upload's file")
        }
        do {
            try await database.queue.write { db in try upload.insert(db) }
        } catch {
            try? FileManager.default.removeItem(at: file(of: upload.id))
            throw error
        }
    }

    func upload(_ id: String) async throws -> TusUploadRecord? {
        try await database.queue.read { db in try TusUploadRecord.fetchOne(db, key: id) }
    }

    /// Records a durable offset (the data up to it is already fsynced).
    func setOffset(_ id: String, _ offset: Int) async throws {
        try await database.queue.write { db in
            try db.execute(sql: "UPDATE tus_upload SET \"offset\" = ? WHERE id = ?", arguments: [offset, id])
        }
    }

    /// Records the asset the finished upload became.
    func complete(_ id: String, asset: String) async throws {
        try await database.queue.write { db in
            try db.execute(sql: "UPDATE tus_upload SET assetID = ? WHERE id = ?", arguments: [asset, id])
        }
    }

    /// Removes an upload's row and file (tus 1.0 §termination).
    func remove(_ id: String) async throws {
        _ = try await database.queue.write { db in try TusUploadRecord.deleteOne(db, key: id) }
        try? FileManager.default.removeItem(at: file(of: id))
    }

    /// Removes incomplete uploads past their expiry and returns their ids (tus 1.0 §expiration).
    func removeExpired(now: Date = Date()) async throws -> [String] {
        let expired = try await database.queue.write { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM tus_upload WHERE assetID IS NULL AND expiresAt < ?", arguments: [now])
            try db.execute(sql: "DELETE FROM tus_upload WHERE assetID IS NULL AND expiresAt < ?", arguments: [now])
            return ids
        }
        for id in expired where TusUploadID.isValid(id) { try? FileManager.default.removeItem(at: file(of: id)) }
        return expired
    }
}

import Foundation

/// Resumable uploads' rows and files: `<data>/tus/<id>` holds the bytes received so far; the rows live in SQLite or
/// PostgreSQL (`TusUploadRows`), the files in the data folder every API server shares.
struct TusUploadStore: Sendable {
    let rows: any TusUploadRows
    let folder: URL

    init(rows: any TusUploadRows, dataDirectory: URL) throws {
        self.rows = rows
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
            try await rows.insert(upload)
        } catch {
            try? FileManager.default.removeItem(at: file(of: upload.id))
            throw error
        }
    }

    func upload(_ id: String) async throws -> TusUploadRecord? {
        try await rows.upload(id)
    }

    /// Records a durable offset (the data up to it is already fsynced) written under `writer`'s lease; throws 423
    /// when that lease was lost, so a writer that stalled past its lease never overwrites its successor's offset.
    func setOffset(_ id: String, _ offset: Int, writer: String) async throws {
        guard try await rows.setOffset(id, offset, writer: writer) else {
            throw APIError.uploadBusy("this request's turn to write to upload \(id) ran out and another request holds it; HEAD it and resume")
        }
    }

    /// Records the asset the finished upload became.
    func complete(_ id: String, asset: String) async throws {
        try await rows.complete(id, asset: asset)
    }

    /// Removes an upload's row and file (tus 1.0 §termination).
    func remove(_ id: String) async throws {
        try await rows.remove(id)
        try? FileManager.default.removeItem(at: file(of: id))
    }

    /// Removes incomplete uploads past their expiry and returns their ids (tus 1.0 §expiration).
    func removeExpired(now: Date = Date()) async throws -> [String] {
        let expired = try await rows.removeExpired(before: now)
        for id in expired where TusUploadID.isValid(id) { try? FileManager.default.removeItem(at: file(of: id)) }
        return expired
    }
}

import Foundation
import Hummingbird

/// One writer per upload, so offsets stay consistent: a request appends only while it holds the upload's writer
/// lease (`TusUploadRows.claimWriter`), kept in the database so that requests reaching different API servers
/// exclude each other too. The lease is renewed while the request runs and runs out if its server dies.
struct UploadLocks: Sendable {
    let rows: any TusUploadRows
    /// How long a lease outlives its last renewal; a request renews it every third of that.
    let lease: Duration

    init(rows: any TusUploadRows, lease: Duration = .seconds(15)) {
        self.rows = rows
        self.lease = lease
    }

    /// Runs `body` holding `id`'s lease (`body` gets the holder's name, for `TusUploadStore.setOffset`), or answers
    /// 423 when another request holds it, 404 when there is no such upload.
    func holding<Value: Sendable>(_ id: String, _ body: (String) async throws -> Value) async throws -> Value {
        let holder = UUID().uuidString
        guard try await rows.claimWriter(id, holder: holder, lease: lease) else {
            guard try await rows.upload(id) != nil else { throw APIError.notFound("upload \(id)") }
            throw APIError.uploadBusy("another request is writing to upload \(id); retry once it has finished")
        }
        do {
            let value = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [rows, lease] in
                    // A lost lease ends the renewals; the next `setOffset` then refuses this writer.
                    while true {
                        try await Task.sleep(for: lease / 3)
                        if (try? await rows.renewWriter(id, holder: holder, lease: lease)) == false { return }
                    }
                }
                defer { group.cancelAll() }
                return try await body(holder)
            }
            try? await rows.releaseWriter(id, holder: holder)
            return value
        } catch {
            // Unreleased (the database unreachable), the lease still runs out by itself.
            try? await rows.releaseWriter(id, holder: holder)
            throw error
        }
    }
}

extension APIError {
    /// 423: another request is writing to the upload (tus clients retry after it).
    static func uploadBusy(_ message: String) -> APIError {
        APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "upload_busy", message)
    }
}

import Hummingbird
import Synchronization

/// Uploads a request is writing to right now: one writer per upload, so offsets stay consistent.
final class UploadLocks: Sendable {
    private let busy = Mutex<Set<String>>([])

    /// Runs `body` holding `id`'s lock, or answers 423 when another request holds it.
    func holding<Value: Sendable>(_ id: String, _ body: () async throws -> Value) async throws -> Value {
        guard busy.withLock({ $0.insert(id).inserted }) else {
            throw APIError(HTTPResponse.Status(code: 423, reasonPhrase: "Locked"), "upload_busy", "another request is writing to upload \(id); retry once it has finished")
        }
        defer { _ = busy.withLock { $0.remove(id) } }
        return try await body()
    }
}

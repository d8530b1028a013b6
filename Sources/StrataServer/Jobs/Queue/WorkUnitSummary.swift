import Foundation

/// One unit of an asset's work as `GET /v1/assets/{id}` lists it: what it did, who did it, and how long it took.
struct WorkUnitSummary: Encodable, Sendable, Equatable {
    /// transcode or repackage; for a transcode cut into chunks, its steps: plan, chunk, audio, assemble.
    var kind: String
    /// A chunk step's chunk (0-based, in timeline order).
    var chunk: Int? = nil
    /// The worker of the last attempt (`host-pid`); null for jobs the server runs itself without a shared queue.
    var worker: String?
    var attempts: Int
    /// Seconds of the last attempt (so far, while it runs); null before the first.
    var seconds: Double?
    /// queued, running, done or failed.
    var state: String
}

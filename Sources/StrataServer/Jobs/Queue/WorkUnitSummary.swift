import Foundation

/// One unit of an asset's work as `GET /v1/assets/{id}` lists it: what it did, who did it, and how long it took.
struct WorkUnitSummary: Encodable, Sendable, Equatable {
    /// transcode or repackage.
    var kind: String
    /// The worker of the last attempt (`host-pid`); null for jobs the server runs itself without a shared queue.
    var worker: String?
    var attempts: Int
    /// Seconds of the last attempt (so far, while it runs); null before the first.
    var seconds: Double?
    /// queued, running, done or failed.
    var state: String
}

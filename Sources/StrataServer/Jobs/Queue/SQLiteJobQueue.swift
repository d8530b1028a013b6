import Foundation

/// The embedded queue: jobs are rows of the server's own SQLite database, run by the server's own job runner.
///
/// Only one process works from this database, so a lease is that process's life: the units it held when it
/// died are claimable again at its next start (`requeueExpired`), and there is nobody to renew a lease against.
/// A failure is final on the first attempt: a transcode that fails on its input fails the same way again.
struct SQLiteJobQueue: JobQueue {
    let store: SQLiteAssetStore

    /// After a crash or kill -9: every job that was running is queued again, and so is its asset.
    func requeueExpired() async throws -> Int {
        try store.requeueInterruptedJobs()
    }

    func claim(worker: String, lease: Duration) async throws -> ClaimedUnit? {
        guard let job = try store.claimNextJob(), let id = job.id else { return nil }
        return ClaimedUnit(id: id, assetID: job.assetID, kind: job.kind, attempt: job.attempts, worker: worker, order: nil)
    }

    /// The holder is this process, alive while it asks; the runner writes progress to the asset itself.
    func heartbeat(_ unit: ClaimedUnit, lease: Duration, progress: UnitProgress) async throws -> Bool {
        try store.jobState(unit.id) == .running
    }

    func complete(_ unit: ClaimedUnit, result: String?) async throws {
        try store.finish(jobID: unit.id, state: .done)
    }

    func fail(_ unit: ClaimedUnit, reason: String) async throws {
        try store.finish(jobID: unit.id, state: .failed)
    }

    func release(_ unit: ClaimedUnit) async throws {
        try store.requeue(jobID: unit.id)
    }
}

import Foundation
import Logging

/// One unit of work taken from a queue, held by one worker until it completes, fails or is released.
struct ClaimedUnit: Sendable, Equatable {
    /// The unit's id in its queue.
    var id: Int64
    var assetID: String
    var kind: JobKind
    /// Which attempt this is (1 for the first); with `worker` it fences a holder whose lease was taken over.
    var attempt: Int
    /// The worker that holds it.
    var worker: String
    /// What a worker without the API server's database needs to run it (a `WorkOrder` as JSON); nil when the
    /// worker shares that database (the embedded queue).
    var order: String?
    /// When the claim was sent, by this process's clock: its lease runs from a moment later, so a holder that counts
    /// from here never thinks it holds the unit longer than the queue does.
    var claimedAt = ContinuousClock.now
}

/// Where job runners take work from and report its end: the embedded SQLite queue inside `strata serve`, or a
/// PostgreSQL queue that several `strata worker` processes on several machines share.
///
/// A claim holds its unit under a lease; a holder renews it with `heartbeat` while it works. When a lease runs out
/// (the worker was killed, its machine lost) `requeueExpired` makes the unit claimable again, so no work is lost.
protocol JobQueue: Sendable {
    /// Makes units whose holder is gone claimable again; returns how many.
    func requeueExpired() async throws -> Int
    /// Takes the oldest claimable unit for `worker`, held for `lease`; nil when there is none.
    func claim(worker: String, lease: Duration) async throws -> ClaimedUnit?
    /// Renews the lease and shares how far the unit is; false when the unit is no longer this holder's.
    func heartbeat(_ unit: ClaimedUnit, lease: Duration, progress: UnitProgress) async throws -> Bool
    /// The unit is done; `result` is what the holder made (package facts as JSON), for whoever waits on it.
    func complete(_ unit: ClaimedUnit, result: String?) async throws
    /// The attempt failed for `reason`: the unit is retried later, or fails for good once its attempts are spent.
    func fail(_ unit: ClaimedUnit, reason: String) async throws
    /// Gives the unit back without spending an attempt (a graceful shutdown interrupted it).
    func release(_ unit: ClaimedUnit) async throws
    /// Whether the queue logs its own outages (once, then once when it is back), so a caller that retries a failed
    /// call need not log every failure.
    var reportsOutages: Bool { get }
}

extension JobQueue {
    /// Claims units as `worker` and runs them one at a time until `stopped` says so, polling while the queue is
    /// empty; a queue that cannot be read is logged and tried again.
    func work(as worker: String, lease: Duration, logger: Logger, until stopped: @Sendable () -> Bool,
              _ execute: (ClaimedUnit) async -> Void) async {
        while !stopped() {
            do {
                if let unit = try await claim(worker: worker, lease: lease) {
                    await execute(unit)
                    continue
                }
            } catch {
                logger.log(level: retryLevel(for: error, otherwise: .error), "cannot read the job queue; retrying",
                           metadata: ["worker": "\(worker)", "error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: JobRunner.pollInterval)
        }
    }

    var reportsOutages: Bool { false }

    /// The level a caller that retries logs `error` at: debug when the queue has already told the operator it is down.
    func retryLevel(for error: any Error, otherwise level: Logger.Level) -> Logger.Level {
        reportsOutages && QueueReachability.isOutage(error) ? .debug : level
    }
}

/// How far a held unit is: the share encoded and the seconds players can already watch.
struct UnitProgress: Sendable, Equatable {
    var fraction: Double = 0
    var playableSeconds: Double = 0
}

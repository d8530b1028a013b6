import Foundation
import Logging
import StrataMedia
import Synchronization

/// Keeps a claimed unit's lease while its work runs: a heartbeat renews it with the latest progress, and the work
/// is stopped when the queue says the unit is no longer this holder's, or when the lease has run out by this
/// process's clock without a renewal (the queue may be handing the unit to another holder: one writer at a time).
struct LeaseKeeper: Sendable {
    let queue: any JobQueue
    let lease: Duration
    let logger: Logger

    /// How often a held unit's lease is renewed: often enough that two renewals can fail before it runs out.
    var heartbeatInterval: Duration { min(lease / 3, .seconds(1)) }

    /// Holds the unit until cancelled: renews its lease with the latest progress, and stops the work when the lease
    /// was lost or has run out without a renewal. Returns true when it stopped the work.
    @discardableResult
    func hold(_ unit: ClaimedUnit, latest: LatestProgress, cancellation: TranscodeCancellation, metadata: Logger.Metadata) async -> Bool {
        let deadline = LeaseDeadline(claimed: unit.claimedAt, lease: lease)
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.renew(unit, deadline: deadline, latest: latest, cancellation: cancellation, metadata: metadata) }
            group.addTask { await self.expire(deadline, cancellation: cancellation, metadata: metadata) }
            let stopped = await group.next() ?? false
            group.cancelAll()
            return stopped
        }
    }

    /// Renews the lease every `heartbeatInterval`, noting when each renewal that succeeded was sent; stops the work
    /// when the queue says the unit is no longer this holder's (and then returns true).
    private func renew(_ unit: ClaimedUnit, deadline: LeaseDeadline, latest: LatestProgress,
                       cancellation: TranscodeCancellation, metadata: Logger.Metadata) async -> Bool {
        while !Task.isCancelled {
            try? await Task.sleep(for: heartbeatInterval)
            guard !Task.isCancelled else { return false }
            let sent = ContinuousClock.now
            do {
                guard try await queue.heartbeat(unit, lease: lease, progress: latest.value) else {
                    cancellation.cancel()
                    return true
                }
                deadline.renewed(sentAt: sent)
            } catch where !Task.isCancelled {
                logger.log(level: queue.retryLevel(for: error, otherwise: .warning), "cannot renew the unit's lease; retrying",
                           metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
            } catch {
                return false  // the unit ended while its lease was being renewed
            }
        }
        return false
    }

    /// Stops the work once the lease has run out by this worker's clock (counted from the last renewal sent, so
    /// never later than the queue's): the queue may give the unit to another worker, and one package must have
    /// one writer. The queue closes this attempt as `lease expired`.
    private func expire(_ deadline: LeaseDeadline, cancellation: TranscodeCancellation, metadata: Logger.Metadata) async -> Bool {
        while !Task.isCancelled {
            let due = deadline.due
            guard ContinuousClock.now < due else {
                logger.warning("the unit's lease ran out before the queue could be reached to renew it; stopping the unit, which the queue will hand out again",
                               metadata: metadata)
                cancellation.cancel()
                return true
            }
            try? await Task.sleep(until: due, clock: .continuous)
        }
        return false
    }
}

/// The progress a running unit reported last, read by its heartbeat.
final class LatestProgress: Sendable {
    private let state = Mutex(UnitProgress())

    var value: UnitProgress { state.withLock { $0 } }

    func update(_ change: (inout UnitProgress) -> Void) {
        state.withLock { change(&$0) }
    }
}

/// When a held unit's lease runs out by this worker's clock: a lease's length after the last renewal that succeeded,
/// counted from when it was sent (the queue's lease starts later, so this one never outlasts it).
final class LeaseDeadline: Sendable {
    let lease: Duration
    private let renewedAt: Mutex<ContinuousClock.Instant>

    init(claimed: ContinuousClock.Instant, lease: Duration) {
        self.lease = lease
        renewedAt = Mutex(claimed)
    }

    var due: ContinuousClock.Instant { renewedAt.withLock { $0 } + lease }

    func renewed(sentAt instant: ContinuousClock.Instant) {
        renewedAt.withLock { $0 = max($0, instant) }
    }
}

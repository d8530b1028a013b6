import Foundation
import Logging
import ServiceLifecycle
import StrataMedia
import Synchronization

/// `strata worker`: takes units from the shared queue and runs them here, without serving HTTP.
///
/// Each held unit's lease is renewed by a heartbeat that also shares its progress. A worker that loses its lease
/// (it was paused too long and another took the unit) stops that unit; a graceful shutdown gives units back. While
/// the queue cannot be reached the unit goes on and the heartbeat keeps trying, up to the lease: a lease that ran
/// out unrenewed stops the unit here too, since another worker may be taking it over.
final class WorkerRunner: Service, Sendable {
    let queue: any JobQueue
    let work: UnitWork
    /// This worker's name in the queue's records, e.g. `host-1234`.
    let name: String
    let slots: Int
    let lease: Duration
    let logger: Logger
    private let running = Mutex<[Int64: TranscodeCancellation]>([:])
    private let stopping = Atomic<Bool>(false)

    init(queue: any JobQueue, work: UnitWork, name: String, slots: Int, lease: Duration, logger: Logger) {
        self.queue = queue
        self.work = work
        self.name = name
        self.slots = slots
        self.lease = lease
        self.logger = logger
    }

    /// How often a held unit's lease is renewed: often enough that two renewals can fail before it runs out.
    var heartbeatInterval: Duration { min(lease / 3, .seconds(1)) }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for slot in 0..<slots {
                    group.addTask { await self.work(slot: slot) }
                }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            for cancellation in self.running.withLock({ Array($0.values) }) { cancellation.cancel() }
        }
    }

    private func work(slot: Int) async {
        await queue.work(as: slots == 1 ? name : "\(name)/\(slot + 1)", lease: lease, logger: logger,
                         until: { self.stopping.load(ordering: .relaxed) }, execute)
    }

    private func execute(_ unit: ClaimedUnit) async {
        let metadata: Logger.Metadata = ["unit": "\(unit.id)", "kind": "\(unit.kind.rawValue)", "asset": "\(unit.assetID)",
                                         "attempt": "\(unit.attempt)", "worker": "\(unit.worker)"]
        let order: WorkOrder
        do {
            order = try WorkOrder(json: unit.order ?? "")
        } catch {
            logger.error("unit refused", metadata: metadata.merging(["error": "\(error.message)"]) { $1 })
            return await settle(unit) { try await self.queue.fail(unit, reason: error.queueReason) }
        }
        logger.info("unit started", metadata: metadata)
        let cancellation = TranscodeCancellation()
        running.withLock { $0[unit.id] = cancellation }
        defer { _ = running.withLock { $0.removeValue(forKey: unit.id) } }
        if stopping.load(ordering: .relaxed) { cancellation.cancel() }
        let latest = LatestProgress()
        let heartbeat = Task { await self.hold(unit, latest: latest, cancellation: cancellation, metadata: metadata) }
        let result = await work.run(order, name: "strata.unit.\(unit.id)", cancellation: cancellation,
                                    progress: { fraction in latest.update { $0.fraction = fraction } },
                                    playable: { seconds in latest.update { $0.playableSeconds = seconds } })
        heartbeat.cancel()
        switch result {
        case .success(let made):
            logger.info("unit done", metadata: metadata.merging(["seconds": "\(made.wallSeconds)"]) { $1 })
            await settle(unit) { try await self.queue.complete(unit, result: made.factsJSON) }
        case .failure(let error) where error.code == .cancelled && stopping.load(ordering: .relaxed):
            logger.notice("unit given back for another worker (shutting down)", metadata: metadata)
            await settle(unit) { try await self.queue.release(unit) }
        case .failure(let error) where error.code == .cancelled:
            logger.warning("unit stopped: this worker no longer holds its lease", metadata: metadata)
        case .failure(let error):
            let reason = TranscodeError(error.code, work.files.withoutRoot(error.message))
            logger.warning("unit failed", metadata: metadata.merging(["error": "\(reason.message)"]) { $1 })
            await settle(unit) { try await self.queue.fail(unit, reason: reason.queueReason) }
        }
    }

    /// Holds the unit until cancelled: renews its lease with the latest progress, and stops the work when the lease
    /// was lost or has run out without a renewal.
    private func hold(_ unit: ClaimedUnit, latest: LatestProgress, cancellation: TranscodeCancellation, metadata: Logger.Metadata) async {
        let deadline = LeaseDeadline(claimed: unit.claimedAt, lease: lease)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.renew(unit, deadline: deadline, latest: latest, cancellation: cancellation, metadata: metadata) }
            group.addTask { await self.expire(deadline, cancellation: cancellation, metadata: metadata) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Renews the lease every `heartbeatInterval`, noting when each renewal that succeeded was sent; stops the work
    /// when the queue says the unit is no longer this holder's.
    private func renew(_ unit: ClaimedUnit, deadline: LeaseDeadline, latest: LatestProgress,
                       cancellation: TranscodeCancellation, metadata: Logger.Metadata) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: heartbeatInterval)
            guard !Task.isCancelled else { return }
            let sent = ContinuousClock.now
            do {
                guard try await queue.heartbeat(unit, lease: lease, progress: latest.value) else {
                    cancellation.cancel()
                    return
                }
                deadline.renewed(sentAt: sent)
            } catch where !Task.isCancelled {
                logger.log(level: queue.retryLevel(for: error, otherwise: .warning), "cannot renew the unit's lease; retrying",
                           metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
            } catch {
                return  // the unit ended while its lease was being renewed
            }
        }
    }

    /// Stops the work once the lease has run out by this worker's clock (counted from the last renewal sent, so
    /// never later than the queue's): the queue may give the unit to another worker, and one package must have
    /// one writer. The queue closes this attempt as `lease expired`.
    private func expire(_ deadline: LeaseDeadline, cancellation: TranscodeCancellation, metadata: Logger.Metadata) async {
        while !Task.isCancelled {
            let due = deadline.due
            guard ContinuousClock.now < due else {
                logger.warning("the unit's lease ran out before the queue could be reached to renew it; stopping the unit, which the queue will hand out again",
                               metadata: metadata)
                return cancellation.cancel()
            }
            try? await Task.sleep(until: due, clock: .continuous)
        }
    }

    /// Records a unit's end, retrying while the queue cannot be reached (until its lease would have run out anyway).
    private func settle(_ unit: ClaimedUnit, _ record: @Sendable () async throws -> Void) async {
        let deadline = ContinuousClock.now + lease
        while true {
            do {
                return try await record()
            } catch where ContinuousClock.now < deadline {
                logger.log(level: queue.retryLevel(for: error, otherwise: .warning), "cannot record the unit's end; retrying",
                           metadata: ["unit": "\(unit.id)", "error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            } catch {
                return logger.error("gave up recording the unit's end; its lease will run out and another worker redo it",
                                    metadata: ["unit": "\(unit.id)", "error": "\(error)"])
            }
        }
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

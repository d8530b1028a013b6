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
        let keeper = LeaseKeeper(queue: queue, lease: lease, logger: logger)
        let heartbeat = Task { await keeper.hold(unit, latest: latest, cancellation: cancellation, metadata: metadata) }
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


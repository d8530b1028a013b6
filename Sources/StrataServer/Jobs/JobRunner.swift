import Foundation
import GRDB
import Logging
import ServiceLifecycle
import StrataManifest
import StrataMedia
import StrataProfiles
import Synchronization

/// Runs the durable job queue: a fixed number of workers take jobs from a `JobQueue` one at a time: the embedded
/// SQLite one, or the API servers' jobs in a shared PostgreSQL database, where each server claims jobs under a
/// lease, so another server takes over the jobs of one that stopped.
///
/// Jobs survive anything: at start every job a previous process left running is queued again (a crash or
/// `kill -9` loses no work), and a graceful shutdown cancels running jobs back into the queue. A transcode
/// writes its package in place, progressively: a published asset is playable from its first segment, and
/// a job started again after a crash continues the same folder without changing what players have seen.
final class JobRunner: Service, Sendable {
    let store: any AssetStore
    let queue: any JobQueue
    /// Where jobs run: here, or on workers through the shared queue.
    let executor: any UnitExecutor
    let files: AssetFiles
    let published: PublishedPackages
    let workers: Int
    let logger: Logger
    let metrics: ServerMetrics
    /// Cancellation handles of running jobs, by asset.
    private let running = Mutex<[String: TranscodeCancellation]>([:])
    private let stopping = Atomic<Bool>(false)

    /// How often an idle worker looks for new jobs.
    static let pollInterval: Duration = .milliseconds(250)
    /// How long a claim holds its job without a heartbeat (in a shared database: how soon another API server takes
    /// over the jobs of one that stopped).
    let lease: Duration

    init(store: any AssetStore, queue: any JobQueue, executor: (any UnitExecutor)? = nil, files: AssetFiles, published: PublishedPackages,
         workers: Int, lease: Duration = .seconds(60), logger: Logger, metrics: ServerMetrics) {
        self.store = store
        self.lease = lease
        self.queue = queue
        self.executor = executor ?? LocalUnits(work: UnitWork(files: files, logger: logger))
        self.files = files
        self.published = published
        self.workers = workers
        self.logger = logger
        self.metrics = metrics
    }

    func run() async throws {
        let requeued = try await queue.requeueExpired()
        if requeued > 0 { logger.notice("resuming jobs interrupted by the last shutdown", metadata: ["jobs": "\(requeued)"]) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for worker in 0..<workers {
                    group.addTask { await self.work(worker) }
                }
            }
        } onGracefulShutdown: {
            self.stop()
        }
    }

    /// Stops taking jobs and cancels the running ones; they go back to the queue for the next start.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        for cancellation in running.withLock({ Array($0.values) }) { cancellation.cancel() }
    }

    /// Cancels the job working on `asset` (when the asset is deleted).
    func cancel(asset: String) {
        running.withLock { $0[asset] }?.cancel()
    }

    private func work(_ worker: Int) async {
        await queue.work(as: "\(ProcessInfo.processInfo.processIdentifier).\(worker)", lease: lease, logger: logger,
                         until: { self.stopping.load(ordering: .relaxed) }, execute)
    }

    private func execute(_ job: ClaimedUnit) async {
        let started = ContinuousClock.now
        let metadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "asset": "\(job.assetID)"]
        logger.info("job started", metadata: metadata)
        // The job's lease: renewed while it runs; when another API server took it over, or the asset was deleted
        // through another server, this one stops it.
        let cancellation = track(job.assetID)
        defer { untrack(job.assetID) }
        let keeper = LeaseKeeper(queue: queue, lease: lease, logger: logger)
        // The asset carries the job's progress; its lease only says that this server still runs it.
        let lease = Task { await keeper.hold(job, latest: LatestProgress(), cancellation: cancellation, metadata: metadata) }
        defer { lease.cancel() }
        do {
            switch job.kind {
            case .transcode: try await transcode(job, cancellation: cancellation, lease: lease)
            case .repackage: try await repackage(job, cancellation: cancellation, lease: lease)
            case .plan, .chunk, .audio, .assemble:
                try await queue.fail(job, reason: "a \(job.kind.rawValue) step runs on the shared queue's workers, never as a server job")
            }
        } catch {
            logger.error("job bookkeeping failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            try? await queue.fail(job, reason: "\(error)")
        }
        logger.info("job ended", metadata: ["job": "\(job.id)", "seconds": "\(ContinuousClock.now - started)"])
    }

    // MARK: Transcode

    private func transcode(_ job: ClaimedUnit, cancellation: TranscodeCancellation, lease: Task<Bool, Never>) async throws {
        guard let asset = try await store.asset(job.assetID) else {
            return try await queue.fail(job, reason: "the asset was deleted")  // deleted meanwhile
        }
        let sidecars = try await store.pendingSidecars(of: asset.id)
        let order = WorkOrder(kind: .transcode, asset: asset, sidecars: sidecars, packageVersion: 1)
        try await store.updateAsset(asset.id) { $0.status = .processing; $0.progress = 0; $0.errorCode = nil; $0.errorMessage = nil }

        let (id, files, published, source) = (asset.id, self.files, self.published, "\(asset.id)/\(job.id)")
        let writer = AssetProgressWriter(asset: id, store: store, logger: logger) { published.refresh($0, files: files) }
        let result = await executor.run(order, source: source, cancellation: cancellation,
                                        progress: writer.progress, playable: writer.playable)
        await writer.finish()
        if await lost(lease, asset: job.assetID, source: source, result) { return }
        switch result {
        case .success(let made):
            let facts = made.factsJSON
            try await store.updateAsset(id) {
                $0.status = .ready
                $0.progress = 1
                $0.packageVersion = 1
                $0.factsJSON = facts
            }
            try await store.markSidecars(sidecars.compactMap(\.id), state: .packaged)
            try await queue.complete(job, result: facts)
            metrics.transcodeSeconds.record(made.wallSeconds)
            if let asset = try await store.asset(id) { published.refresh(asset, files: files) }
            try await store.enqueueRepackageIfPending(for: id)
        case .failure(let error) where error.code == .cancelled && stopping.load(ordering: .relaxed):
            try await store.updateAsset(id) { $0.status = .queued; $0.progress = 0 }
            try await queue.release(job)
        case .failure(let error):
            if error.code == .cancelled { await executor.abandon(source: source) }
            logger.warning("transcode failed", metadata: ["asset": "\(id)", "error": "\(error.message)"])
            let message = files.withoutRoot(error.message)
            // A package players were already watching is no longer served: it will never be complete.
            let failed = try await store.updateAsset(id) {
                $0.status = .failed
                $0.errorCode = error.code.rawValue
                $0.errorMessage = message
            }
            if let failed { published.refresh(failed, files: files) }
            try await queue.fail(job, reason: message)
        }
    }

    // MARK: Repackage

    private func repackage(_ job: ClaimedUnit, cancellation: TranscodeCancellation, lease: Task<Bool, Never>) async throws {
        guard let asset = try await store.asset(job.assetID), asset.status == .ready, asset.packageVersion > 0 else {
            // Not ready yet: the transcode will include the sidecars, or queue another repackage when done.
            return try await queue.complete(job, result: nil)
        }
        let sidecars = try await store.pendingSidecars(of: asset.id)
        guard !sidecars.isEmpty else { return try await queue.complete(job, result: nil) }
        let order = WorkOrder(kind: .repackage, asset: asset, sidecars: sidecars, packageVersion: asset.packageVersion)
        let source = "\(asset.id)/\(job.id)"
        let result = await executor.run(order, source: source, cancellation: cancellation, progress: { _ in }, playable: { _ in })
        if await lost(lease, asset: job.assetID, source: source, result) { return }
        switch result {
        case .success(let made):
            let json = made.factsJSON
            let version = asset.packageVersion + 1
            try await store.updateAsset(asset.id) {
                $0.packageVersion = version
                $0.factsJSON = json
            }
            try await store.markSidecars(sidecars.compactMap(\.id), state: .packaged)
            try await queue.complete(job, result: json)
            // The atomic switch: players get the new version from the next request on.
            if let updated = try await store.asset(asset.id) { published.refresh(updated, files: files) }
            try? FileManager.default.removeItem(at: files.package(of: asset.id, version: asset.packageVersion))
            try await store.enqueueRepackageIfPending(for: asset.id)
        case .failure(let error) where error.code == .cancelled && stopping.load(ordering: .relaxed):
            try await queue.release(job)
        case .failure(let error):
            if error.code == .cancelled { await executor.abandon(source: source) }
            logger.warning("adding tracks failed", metadata: ["asset": "\(asset.id)", "error": "\(error.message)"])
            let message = files.withoutRoot(error.message)
            try await store.markSidecars(sidecars.compactMap(\.id), state: .failed, error: message)
            try await queue.fail(job, reason: message)
        }
    }

    /// True when the job was stopped because this server no longer holds it: another API server took it over (its
    /// work goes on there), or its asset was deleted through another server (its units are abandoned here).
    private func lost(_ lease: Task<Bool, Never>, asset assetID: String, source: String, _ result: Result<UnitResult, TranscodeError>) async -> Bool {
        guard case .failure(let error) = result, error.code == .cancelled, !stopping.load(ordering: .relaxed) else { return false }
        lease.cancel()
        guard await lease.value else { return false }
        // Deleted only when the database says so: a database that cannot be read (the usual reason a lease runs
        // out) leaves the units alone, for whichever server claims the job next.
        let deleted: Bool
        do { deleted = try await store.asset(assetID) == nil } catch { deleted = false }
        if deleted {
            await executor.abandon(source: source)
            logger.notice("job stopped: its asset was deleted", metadata: ["asset": "\(assetID)"])
        } else {
            logger.warning("job stopped: its lease ran out; the server that claims it next (another, or this one once the database answers) follows its units on", metadata: ["asset": "\(assetID)"])
        }
        return true
    }

    /// The asset's work units: from the shared queue when there is one, else this server's jobs.
    func units(of asset: String) async throws -> [WorkUnitSummary] {
        if let units = try await executor.units(of: asset) { return units }
        return try await store.jobSummaries(of: asset)
    }

    private func track(_ asset: String) -> TranscodeCancellation {
        let cancellation = TranscodeCancellation()
        running.withLock { $0[asset] = cancellation }
        if stopping.load(ordering: .relaxed) { cancellation.cancel() }
        return cancellation
    }

    private func untrack(_ asset: String) {
        _ = running.withLock { $0.removeValue(forKey: asset) }
    }
}

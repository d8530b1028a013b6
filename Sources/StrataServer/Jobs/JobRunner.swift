import Foundation
import GRDB
import Logging
import ServiceLifecycle
import StrataManifest
import StrataMedia
import StrataProfiles
import Synchronization

/// Runs the durable job queue: a fixed number of workers take jobs from a `JobQueue` (the embedded SQLite one by
/// default) one at a time.
///
/// Jobs survive anything: at start every job a previous process left running is queued again (a crash or
/// `kill -9` loses no work), and a graceful shutdown cancels running jobs back into the queue. A transcode
/// writes its package in place, progressively: a published asset is playable from its first segment, and
/// a job started again after a crash continues the same folder without changing what players have seen.
final class JobRunner: Service, Sendable {
    let store: AssetStore
    let queue: any JobQueue
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
    /// How long a claim holds its unit without a heartbeat.
    static let lease: Duration = .seconds(60)

    init(store: AssetStore, queue: (any JobQueue)? = nil, files: AssetFiles, published: PublishedPackages, workers: Int,
         logger: Logger, metrics: ServerMetrics) {
        self.store = store
        self.queue = queue ?? SQLiteJobQueue(store: store)
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
        while !stopping.load(ordering: .relaxed) {
            do {
                if let job = try await queue.claim(worker: "\(ProcessInfo.processInfo.processIdentifier).\(worker)", lease: JobRunner.lease) {
                    await execute(job)
                    continue
                }
            } catch {
                logger.error("cannot read the job queue", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: JobRunner.pollInterval)
        }
    }

    private func execute(_ job: ClaimedUnit) async {
        let started = ContinuousClock.now
        logger.info("job started", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "asset": "\(job.assetID)"])
        do {
            switch job.kind {
            case .transcode: try await transcode(job)
            case .repackage: try await repackage(job)
            }
        } catch {
            logger.error("job bookkeeping failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            try? await queue.fail(job, reason: "\(error)")
        }
        logger.info("job ended", metadata: ["job": "\(job.id)", "seconds": "\(ContinuousClock.now - started)"])
    }

    // MARK: Transcode

    private func transcode(_ job: ClaimedUnit) async throws {
        guard let asset = try await store.asset(job.assetID) else {
            return try await queue.fail(job, reason: "the asset was deleted")  // deleted meanwhile
        }
        let profile = try JSONDecoder().decode(EncodingProfile.self, from: Data(asset.profileJSON.utf8))
        let sidecars = try store.pendingSidecars(of: asset.id)
        var request = TranscodeRequest(masterPath: files.master(of: asset.id).path, profile: profile,
                                       outputDirectory: files.package(of: asset.id, version: 1), overwrite: true)
        request.output = .progressive(resume: true)
        (request.sidecarAudio, request.sidecarCaptions) = try requestTracks(sidecars, asset: asset.id)
        try store.updateAsset(asset.id) { $0.status = .processing; $0.progress = 0; $0.errorCode = nil; $0.errorMessage = nil }

        let cancellation = track(asset.id)
        defer { untrack(asset.id) }
        let (store, id, transcodeRequest, files, published) = (self.store, asset.id, request, self.files, self.published)
        let result = await BlockingWork.run("strata.job.\(job.id)") { () throws(TranscodeError) -> TranscodeReport in
            try Transcoder(logger: self.logger).run(transcodeRequest, cancellation: cancellation, progress: { progress in
                _ = try? store.updateAsset(id) { $0.progress = progress.fraction }
            }, playable: { seconds in
                // More segments are listed: players of a published asset may start (or go on) now.
                let updated = try? store.updateAsset(id) {
                    $0.playableSeconds = seconds
                    $0.packageVersion = 1
                }
                if let updated { published.refresh(updated, files: files) }
            })
        }
        switch result {
        case .success(let report):
            let facts = try String(contentsOf: request.outputDirectory.appendingPathComponent("package.json"), encoding: .utf8)
            try store.updateAsset(id) {
                $0.status = .ready
                $0.progress = 1
                $0.packageVersion = 1
                $0.factsJSON = facts
            }
            try store.markSidecars(sidecars.compactMap(\.id), state: .packaged)
            try await queue.complete(job, result: facts)
            metrics.transcodeSeconds.record(report.wallSeconds)
            if let asset = try await store.asset(id) { published.refresh(asset, files: files) }
            try store.enqueueRepackageIfPending(for: id)
        case .failure(let error) where error.code == .cancelled && stopping.load(ordering: .relaxed):
            try store.updateAsset(id) { $0.status = .queued; $0.progress = 0 }
            try await queue.release(job)
        case .failure(let error):
            logger.warning("transcode failed", metadata: ["asset": "\(id)", "error": "\(error.message)"])
            let message = files.withoutRoot(error.message)
            // A package players were already watching is no longer served: it will never be complete.
            let failed = try store.updateAsset(id) {
                $0.status = .failed
                $0.errorCode = error.code.rawValue
                $0.errorMessage = message
            }
            if let failed { published.refresh(failed, files: files) }
            try await queue.fail(job, reason: message)
        }
    }

    // MARK: Repackage

    private func repackage(_ job: ClaimedUnit) async throws {
        guard let asset = try await store.asset(job.assetID), asset.status == .ready, asset.packageVersion > 0 else {
            // Not ready yet: the transcode will include the sidecars, or queue another repackage when done.
            return try await queue.complete(job, result: nil)
        }
        let sidecars = try store.pendingSidecars(of: asset.id)
        guard !sidecars.isEmpty else { return try await queue.complete(job, result: nil) }
        let profile = try JSONDecoder().decode(EncodingProfile.self, from: Data(asset.profileJSON.utf8))
        let (audio, captions) = try requestTracks(sidecars, asset: asset.id)
        let current = files.package(of: asset.id, version: asset.packageVersion)
        let next = files.package(of: asset.id, version: asset.packageVersion + 1)
        let request = RepackageRequest(package: current, outputDirectory: next, overwrite: true, audio: profile.audio,
                                       sidecarAudio: audio, sidecarCaptions: captions)
        let cancellation = track(asset.id)
        defer { untrack(asset.id) }
        let result = await BlockingWork.run("strata.job.\(job.id)") { () throws(TranscodeError) -> PackageFacts in
            try Repackager(logger: self.logger).run(request, cancellation: cancellation)
        }
        switch result {
        case .success(let facts):
            let json = String(decoding: try JSONEncoder().encode(facts), as: UTF8.self)
            let version = asset.packageVersion + 1
            try store.updateAsset(asset.id) {
                $0.packageVersion = version
                $0.factsJSON = json
            }
            try store.markSidecars(sidecars.compactMap(\.id), state: .packaged)
            try await queue.complete(job, result: json)
            // The atomic switch: players get the new version from the next request on.
            if let updated = try await store.asset(asset.id) { published.refresh(updated, files: files) }
            try? FileManager.default.removeItem(at: current)
            try store.enqueueRepackageIfPending(for: asset.id)
        case .failure(let error) where error.code == .cancelled && stopping.load(ordering: .relaxed):
            try await queue.release(job)
        case .failure(let error):
            logger.warning("adding tracks failed", metadata: ["asset": "\(asset.id)", "error": "\(error.message)"])
            let message = files.withoutRoot(error.message)
            try store.markSidecars(sidecars.compactMap(\.id), state: .failed, error: message)
            try await queue.fail(job, reason: message)
        }
    }

    /// The sidecar records as transcode inputs.
    private func requestTracks(_ sidecars: [SidecarRecord], asset: String) throws -> ([SidecarAudio], [SidecarCaptions]) {
        let folder = files.sidecars(of: asset)
        var audio: [SidecarAudio] = [], captions: [SidecarCaptions] = []
        for sidecar in sidecars {
            let path = folder.appendingPathComponent(sidecar.fileName).path
            switch sidecar.kind {
            case .audio:
                audio.append(try SidecarAudio(path: path, language: sidecar.language, role: AudioRole(rawValue: sidecar.variant) ?? .main))
            case .captions:
                captions.append(try SidecarCaptions(path: path, language: sidecar.language, kind: SubtitleKind(rawValue: sidecar.variant) ?? .subtitles))
            }
        }
        return (audio, captions)
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

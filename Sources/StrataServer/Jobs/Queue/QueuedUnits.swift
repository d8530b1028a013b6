import Foundation
import Logging
import StrataMedia
import StrataProfiles

/// Runs units on workers: queues them in PostgreSQL and follows them until workers have done them or one failed,
/// passing on progress and playable seconds as workers report them. A queue that cannot be reached is retried.
///
/// A transcode of a master at least as long as its profile's `chunking.min_master_seconds` becomes a chunked job
/// (`ChunkedJob`): a plan step, one unit per chunk that any number of workers take side by side, an audio step and
/// the assembly.
struct QueuedUnits: UnitExecutor {
    let queue: PostgresJobQueue
    let files: AssetFiles
    let logger: Logger

    /// How often the units' rows are read while they run.
    static let pollInterval: Duration = .milliseconds(250)
    /// Jobs the API server follows at once (the workers decide how many run).
    static let jobsFollowed = 16

    func run(_ order: WorkOrder, source: String, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
        if let chunking = chunking(for: order) {
            return await ChunkedJob(units: self, order: order, source: source, chunking: chunking, cancellation: cancellation)
                .run(progress: progress, playable: playable)
        }
        let started = ContinuousClock.now
        return await follow([(order, source)], cancellation: cancellation, progress: progress, playable: playable).map {
            UnitResult(factsJSON: $0[0], wallSeconds: (ContinuousClock.now - started).seconds)
        }
    }

    /// The chunking of a transcode whose master is long enough, and whose profile allows it; nil to run it whole.
    private func chunking(for order: WorkOrder) -> ChunkingSpec? {
        guard order.kind == .transcode,
              let profile = try? JSONDecoder().decode(EncodingProfile.self, from: Data(order.profileJSON.utf8)) else { return nil }
        let spec = profile.chunking ?? ChunkingSpec()
        let request = TranscodeRequest(masterPath: files.master(of: order.assetID).path, profile: profile,
                                       outputDirectory: files.package(of: order.assetID, version: order.packageVersion))
        if let refusal = ChunkedTranscoder.refusal(request) {
            logger.info("transcoding as one unit", metadata: ["asset": "\(order.assetID)", "reason": "\(refusal)"])
            return nil
        }
        // A master that cannot be probed runs whole: its unit reports why.
        guard let master = try? MasterProbe.describe(path: request.masterPath),
              spec.chunks(masterSeconds: master.mainVideo?.duration ?? master.duration ?? 0) else { return nil }
        return spec
    }

    /// Queues each unit once (by its source, so a restarted server finds the same units) and follows them all until
    /// every one is done, returning their results in order; the first that fails for good fails them all.
    /// - Parameters:
    ///   - progress: the mean share done over the units.
    ///   - finished: called once for each unit as it is seen done, with its position in `units` and its result.
    func follow(_ units: [(order: WorkOrder, source: String)], cancellation: TranscodeCancellation,
                progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void = { _ in },
                finished: (Int, String) -> Void = { _, _ in }) async -> Result<[String], TranscodeError> {
        var ids: [Int64?] = Array(repeating: nil, count: units.count)
        var seen = UnitProgress(fraction: -1, playableSeconds: 0)
        // Units seen done, whose rows (and results) are not read again.
        var done: [Int: UnitStatus] = [:]
        while !cancellation.isCancelled {
            do {
                for (index, unit) in units.enumerated() where ids[index] == nil {
                    ids[index] = try await queue.enqueue(unit.order.kind, asset: unit.order.assetID, order: unit.order.json, source: unit.source)
                }
                let queued = ids.compactMap { $0 }  // every unit's, now
                let read = try await queue.units(ids: queued.indices.filter { done[$0] == nil }.map { queued[$0] })
                var statuses: [UnitStatus] = []
                for (index, id) in queued.enumerated() {
                    guard let status = done[index] ?? read[id] else {
                        return .failure(TranscodeError(.encoding, "unit \(id) is no longer in the queue"))
                    }
                    if status.state == "done" && done[index] == nil {
                        done[index] = status
                        finished(index, status.result ?? "")
                    }
                    statuses.append(status)
                }
                if let failed = statuses.first(where: { $0.state == "failed" }) {
                    return .failure(TranscodeError(queueReason: failed.error ?? "the unit failed without a reason"))
                }
                if statuses.allSatisfy({ $0.state == "done" }) {
                    progress(1)
                    return .success(statuses.map { $0.result ?? "" })
                }
                let fraction = statuses.reduce(0) { $0 + ($1.state == "done" ? 1 : $1.progress) } / Double(statuses.count)
                if fraction != seen.fraction {
                    seen.fraction = fraction
                    progress(fraction)
                }
                if let most = statuses.map(\.playableSeconds).max(), most > seen.playableSeconds {
                    seen.playableSeconds = most
                    playable(most)
                }
            } catch {
                logger.log(level: queue.retryLevel(for: error, otherwise: .warning), "cannot follow the job's units in the shared queue; retrying",
                           metadata: ["source": "\(units.first?.source ?? "")", "error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: QueuedUnits.pollInterval)
        }
        return .failure(TranscodeError(.cancelled, "the job was cancelled"))
    }

    func units(of asset: String) async throws -> [WorkUnitSummary]? {
        try await queue.units(ofAsset: asset)
    }

    func abandon(source: String) async {
        do {
            try await queue.abandon(source: source, reason: "cancelled: the asset was deleted")
        } catch {
            logger.warning("cannot mark the deleted asset's units failed", metadata: ["source": "\(source)", "error": "\(error)"])
        }
    }
}

import Foundation
import Logging
import StrataMedia
import StrataProfiles

/// One transcode run as steps on the shared queue: a plan that checks the master and cuts it into chunks, one unit
/// per chunk (any free worker takes the next, so N workers encode N chunks at once), the audio encoded whole, and
/// the assembly that checks the chunks join and writes the manifests. Each step's units are queued once the step
/// before is done; a server restarted midway finds them again by their sources.
struct ChunkedJob {
    let units: QueuedUnits
    let order: WorkOrder
    let source: String
    let chunking: ChunkingSpec
    let cancellation: TranscodeCancellation

    /// The share of the job's progress each step stands for; the chunks are nearly all of the work.
    private static let shares = (plan: 0.02, chunks: 0.9, audio: 0.05)

    func run(progress: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
        let started = ContinuousClock.now
        let shares = ChunkedJob.shares
        let planned = await step([(order.step(.plan, segmentsPerChunk: chunking.segmentsPerChunk), "\(source)/plan")]) {
            progress(shares.plan * $0)
        }
        let plan: ChunkPlan
        switch planned {
        case .failure(let error): return .failure(error)
        case .success(let results):
            guard let decoded = try? JSONDecoder().decode(ChunkPlan.self, from: Data(results[0].utf8)) else {
                return .failure(TranscodeError(.encoding, "the plan step's result cannot be read"))
            }
            plan = decoded
        }
        units.logger.info("transcoding in chunks", metadata: ["asset": "\(order.assetID)", "chunks": "\(plan.chunks.count)"])
        let chunks = plan.chunks.map { (order.step(.chunk, chunk: $0.index), "\(source)/chunk-\($0.index)") }
        if case .failure(let error) = await step(chunks, { progress(shares.plan + shares.chunks * $0) }) { return .failure(error) }
        if case .failure(let error) = await step([(order.step(.audio), "\(source)/audio")], {
            progress(shares.plan + shares.chunks + shares.audio * $0)
        }) { return .failure(error) }
        return await step([(order.step(.assemble), "\(source)/assemble")]) { _ in }.map {
            UnitResult(factsJSON: $0[0], wallSeconds: (ContinuousClock.now - started).seconds)
        }
    }

    private func step(_ orders: [(WorkOrder, String)], _ progress: @escaping @Sendable (Double) -> Void) async -> Result<[String], TranscodeError> {
        await units.follow(orders.map { (order: $0.0, source: $0.1) }, cancellation: cancellation, progress: progress)
    }
}

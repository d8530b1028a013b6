import Foundation
import Logging
import StrataMedia
import StrataProfiles

/// One transcode run as steps on the shared queue: a plan that checks the master and cuts it into chunks; then one
/// unit per chunk and one that encodes the audio whole, side by side (any free worker takes the next, so N workers
/// encode N units at once); and the assembly that checks the chunks join and writes the manifests. Each step's units
/// are queued once the step before is done; a server restarted midway finds them again by their sources.
///
/// While the chunks are encoded, the package grows playable: the audio's and the leading chunk's segments are listed
/// as their workers finish them, and the chunks after it as they finish, in timeline order (`ChunkTimelineFeed`), as
/// a single run lists its segments.
struct ChunkedJob {
    let units: QueuedUnits
    let order: WorkOrder
    let source: String
    let chunking: ChunkingSpec
    let cancellation: TranscodeCancellation

    /// The share of the job's progress each step stands for; the chunks are nearly all of the work.
    private static let shares = (plan: 0.02, encode: 0.93)

    func run(progress: @escaping @Sendable (Double) -> Void,
             playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
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
        let feed = timelineFeed(plan, playable: playable)
        // The audio first: it is quick, and no chunk can be listed before it is done.
        let encodes = [(order.step(.audio), "\(source)/audio")]
            + plan.chunks.map { (order.step(.chunk, chunk: $0.index), "\(source)/chunk-\($0.index)") }
        let logger = units.logger
        let encoded = await units.follow(encodes.map { (order: $0.0, source: $0.1) }, cancellation: cancellation, progress: { [order] in
            progress(shares.plan + shares.encode * $0)
            // A worker moved on: perhaps the audio's or the leading chunk's, with segments to list.
            do throws(TranscodeError) {
                try feed?.unitsProgressed()
            } catch {
                logger.warning("cannot list the segments encoded so far", metadata: ["asset": "\(order.assetID)", "error": "\(error.message)"])
            }
        }, finished: { index, result in feed.map { self.feed($0, unit: index, result: result) } })
        if case .failure(let error) = encoded { return .failure(error) }
        return await step([(order.step(.assemble), "\(source)/assemble")]) { _ in }.map {
            UnitResult(factsJSON: $0[0], wallSeconds: (ContinuousClock.now - started).seconds)
        }
    }

    private func step(_ orders: [(WorkOrder, String)], _ progress: @escaping @Sendable (Double) -> Void) async -> Result<[String], TranscodeError> {
        await units.follow(orders.map { (order: $0.0, source: $0.1) }, cancellation: cancellation, progress: progress)
    }

    /// The feed that lists the package's segments as its units finish; without one (it could not be opened) the
    /// package is playable only once assembled, which the log says.
    private func timelineFeed(_ plan: ChunkPlan, playable: @escaping @Sendable (Double) -> Void) -> ChunkTimelineFeed? {
        do throws(TranscodeError) {
            guard let profile = try? JSONDecoder().decode(EncodingProfile.self, from: Data(order.profileJSON.utf8)) else {
                throw TranscodeError(.invalidProfile, "the asset's stored profile cannot be read")
            }
            let (audio, captions) = try UnitWork.tracks(order, files: units.files)
            let request = UnitWork.transcodeRequest(order, profile: profile, files: units.files, audio: audio, captions: captions)
            return try ChunkTimelineFeed(request, plan: plan, logger: units.logger, onPublish: playable)
        } catch {
            units.logger.warning("the chunks cannot be listed as they finish; the package will be playable once assembled",
                                 metadata: ["asset": "\(order.assetID)", "error": "\(error.message)"])
            return nil
        }
    }

    /// Hands unit `index` of the encoding step (0 is the audio, then the chunks) to the feed.
    private func feed(_ feed: ChunkTimelineFeed, unit index: Int, result: String) {
        do throws(TranscodeError) {
            if index == 0 {
                try feed.audioFinished(try decoded(AudioPartFacts.self, result))
            } else {
                try feed.chunkFinished(try decoded(ChunkFacts.self, result))
            }
        } catch {
            units.logger.warning("cannot list a finished chunk", metadata: ["asset": "\(order.assetID)", "unit": "\(index)", "error": "\(error.message)"])
        }
    }

    private func decoded<Value: Decodable>(_ type: Value.Type, _ json: String) throws(TranscodeError) -> Value {
        guard let value = try? JSONDecoder().decode(type, from: Data(json.utf8)) else {
            throw TranscodeError(.encoding, "a unit's result cannot be read as \(type)")
        }
        return value
    }
}

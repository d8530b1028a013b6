import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles

/// Encodes a long master as independent units that different workers can run at the same time: a plan, one unit
/// per chunk of segments (video only) and one audio unit, all side by side, and the assembly that writes the manifests.
///
/// Every unit works in the package folder itself (`request.outputDirectory`, reachable by every worker) and leaves
/// its facts in its hidden work folder; the assembly checks them all and writes the same manifests and
/// `package.json` a single run would.
public struct ChunkedTranscoder: Sendable {
    let logger: Logger

    public init(logger: Logger = Logger(label: "strata.chunks")) {
        self.logger = logger
    }

    /// Why `request` must run as one unit, or nil when it can be cut into chunks.
    ///
    /// Per-title analysis runs in the plan step and quality is measured in the assembly, both once over the whole
    /// master; smart crops are not chunked yet (their camera path and crop rungs would have to be split too).
    public static func refusal(_ request: TranscodeRequest) -> String? {
        if !(request.profile.crops ?? []).isEmpty { return "smart crops follow the subject across the whole master" }
        return nil
    }

    // MARK: - Plan

    /// Checks the master and everything else a single run would, cuts it into chunks of `segmentsPerChunk`
    /// segments, and writes the plan into a fresh package folder.
    public func plan(_ request: TranscodeRequest, segmentsPerChunk: Int) throws(TranscodeError) -> ChunkPlan {
        if let refusal = ChunkedTranscoder.refusal(request) {
            throw TranscodeError(.unsupported, "this transcode cannot be cut into chunks: \(refusal)")
        }
        var (_, prepared) = try PreparedTranscode.open(request, logger: logger)
        _ = try prepared.masterCues(request, logger: logger)  // unreadable captions fail now, not at the end
        // Per-title analysis samples the whole master once; every chunk then encodes the rungs and rates decided here.
        prepared.plan = try Transcoder(logger: logger).perTitlePlan(prepared.plan, request: request, masterSeconds: prepared.masterSeconds)
        let schedule = prepared.schedule(request)
        let offset = try presentationOffset(prepared, request: request, schedule: schedule)
        let plan = ChunkPlan(schedule: schedule, masterSeconds: prepared.masterSeconds, segmentsPerChunk: segmentsPerChunk, offsetFrames: offset)
            .keeping(prepared.plan)
        let folder = request.outputDirectory
        if FileManager.default.fileExists(atPath: folder.path) {
            guard request.overwrite else {
                throw TranscodeError(.output, "output '\(folder.path)' already exists; choose another folder or pass --overwrite")
            }
            try? FileManager.default.removeItem(at: folder)
        }
        try ChunkWorkFolder(package: folder).write(plan, as: ChunkWorkFolder.plan)
        logger.info("cut the master into chunks", metadata: [
            "chunks": "\(plan.chunks.count)", "segmentsPerChunk": "\(segmentsPerChunk)", "offsetFrames": "\(offset)"])
        return plan
    }

    /// The presentation offset a single run would choose: every rung's encoder and the AAC encoder opened once
    /// to read their B-frame delay and priming, then closed.
    private func presentationOffset(_ prepared: PreparedTranscode, request: TranscodeRequest,
                                    schedule: KeyframeSchedule) throws(TranscodeError) -> Int64 {
        var delays: [Int] = []
        for rendition in prepared.plan.renditions {
            let settings = VideoEncoderFactory.settings(for: rendition, frameRate: prepared.plan.frameRate, schedule: schedule,
                                                        color: prepared.renditionColor, threads: 1)
            delays.append(try VideoEncoderFactory.open(settings, for: "rendition \(rendition.spec.name)").reorderDelay)
        }
        var priming: [Double] = []
        if !prepared.audio.isEmpty {
            let audio = request.profile.audio
            let settings = AudioEncoderSettings(encoderName: "aac", sampleRate: audio.sampleRate, channels: audio.channels, bitRate: audio.bitrate)
            do {
                priming.append(Double(try Encoder(audio: settings).initialPadding) / Double(audio.sampleRate))
            } catch {
                throw TranscodeError(.encoding, "cannot open the AAC encoder: \(error.message)")
            }
        }
        return TranscodePipeline.presentationOffset(reorderDelays: delays, primingSeconds: priming, frameRate: prepared.plan.frameRate)
    }

    // MARK: - Chunks

    /// Encodes chunk `index` of the plan: every rung over its frames, decoded from the keyframe before them.
    public func encode(chunk index: Int, of request: TranscodeRequest, cancellation: TranscodeCancellation? = nil,
                       progress: ((TranscodeProgress) -> Void)? = nil) throws(TranscodeError) -> ChunkFacts {
        let startedAt = Date()
        let work = ChunkWorkFolder(package: request.outputDirectory)
        let plan = try work.read(ChunkPlan.self, from: ChunkWorkFolder.plan, madeBy: "the plan")
        guard plan.chunks.indices.contains(index) else {
            throw TranscodeError(.unsupported, "the plan has no chunk \(index) (it has \(plan.chunks.count))")
        }
        let chunk = plan.chunks[index]
        let (file, prepared) = try PreparedTranscode.open(request, following: plan, logger: logger)
        let schedule = prepared.schedule(request)
        let root = request.outputDirectory
        let results: StageResults
        do {
            let pipeline = TranscodePipeline(renditions: prepared.plan.renditions.count, frameRate: prepared.plan.frameRate,
                                             cancellation: cancellation, logger: logger)
            pipeline.listener = UnitProgressJournal(work: work, file: ChunkWorkFolder.partialChunk(index),
                                                    videoTracks: prepared.plan.renditions.count, audioTracks: 0)
            let queues = try prepared.addLadder(to: pipeline, request: request, schedule: schedule, root: root, part: chunk.part)
            pipeline.addSource(try SourceStage(
                file: file, videoStream: prepared.video, decoderThreads: request.tuning.decoderThreads, renditionQueues: queues,
                audioQueues: [:], captions: [:], frameRate: prepared.plan.frameRate, origin: prepared.origin,
                expectedDuration: chunk.frames.end == nil ? prepared.expectedDuration : nil, control: pipeline.control, logger: logger,
                range: chunk.frames))
            let seconds = Double((chunk.frames.end ?? plan.expectedEndFrame) - chunk.frames.first)
                / prepared.plan.frameRate.doubleValue
            results = try pipeline.run(totalSeconds: seconds, startedAt: startedAt, fixedOffset: plan.offsetFrames,
                                       fromSeconds: Double(chunk.frames.first) / prepared.plan.frameRate.doubleValue, progress: progress)
        } catch {
            throw Transcoder.describe(error)
        }
        let video = results.videoTracks
        let end = video.first.map { Int(($0.timeline.presentationDurationSeconds * prepared.plan.frameRate.doubleValue).rounded()) }
        let facts = ChunkFacts(index: index, frames: FrameRange(first: chunk.frames.first, end: chunk.frames.end ?? end),
                               video: video, wallSeconds: Date().timeIntervalSince(startedAt))
        try work.write(facts, as: ChunkWorkFolder.chunk(index))
        return facts
    }

}

extension PreparedTranscode {
    /// Prepares a later step of a chunked transcode: the same checks, and the ladder the plan decided.
    /// A master that changed since the plan (re-uploaded, another frame rate) would give chunks that do not join.
    static func open(_ request: TranscodeRequest, following plan: ChunkPlan, logger: Logger) throws(TranscodeError) -> (InputFile, PreparedTranscode) {
        var (file, prepared) = try open(request, logger: logger)
        guard prepared.plan.frameRate == plan.frameRate, abs(prepared.masterSeconds - plan.masterSeconds) < 1e-6 else {
            throw TranscodeError(.unsupported, "the master is not the one the chunks were planned for; start the job again")
        }
        prepared.plan = plan.decided(prepared.plan)
        guard !prepared.plan.renditions.isEmpty else {
            throw TranscodeError(.unsupported, "the chunk plan keeps none of the profile's rungs (was the profile changed?); start the job again")
        }
        return (file, prepared)
    }
}

import FFmpegBridge
import Foundation
import Logging
import StrataProfiles

/// What every run over a master checks and plans before encoding anything: the probe, the ladder against it,
/// and every audio and caption track. Bad input fails here, before a file is written.
struct PreparedTranscode {
    let master: MasterDescription
    let video: StreamDescription
    var plan: LadderPlan
    let dynamicRange: DynamicRange
    let audio: [PlannedAudioTrack]
    let captions: [PlannedCaptionTrack]
    /// The video's length as the container states it (decoding finds the exact length).
    let masterSeconds: Double

    /// Master time (seconds) that becomes presentation time zero.
    var origin: Double { video.startTime ?? 0 }

    /// Probes and plans `request`; the opened master is handed back for the run that decodes it.
    static func open(_ request: TranscodeRequest, logger: Logger) throws(TranscodeError) -> (InputFile, PreparedTranscode) {
        let (file, master) = try MasterProbe.open(path: request.masterPath)
        guard let video = master.mainVideo else {
            let kinds = Set(master.streams.map(\.type.rawValue)).sorted().joined(separator: ", ")
            throw TranscodeError(.noVideo, "master '\(request.masterPath)' has no video stream (it holds: \(kinds.isEmpty ? "nothing" : kinds))")
        }
        let plan = try LadderPlan(profile: request.profile, video: video)
        let range = DynamicRange(stream: video)
        if range != .sdr {
            logger.notice("the master is HDR; tone-mapping it to SDR BT.709 for every rendition and thumbnail",
                          metadata: ["range": "\(range.rawValue)", "transfer": "\(video.colorTags.names["transfer"] ?? "?")"])
        }
        if video.sampleAspectRatioIgnored == true {
            logger.warning("ignoring the master's implausible sample aspect ratio; treating its pixels as square",
                           metadata: ["sar": "\(video.sampleAspectRatio ?? "?")", "size": "\(plan.displayWidth)x\(plan.displayHeight)"])
        }
        if !plan.droppedRenditions.isEmpty {
            logger.info("skipping rungs larger than the master", metadata: ["rungs": "\(plan.droppedRenditions.joined(separator: ","))"])
        }
        for sidecar in request.sidecarAudio {
            _ = try SidecarAudioSource.open(sidecar)  // fails now, before any work, if it is not usable audio
        }
        var sidecarCues: [(SidecarCaptions, [Cue])] = []
        for sidecar in request.sidecarCaptions {
            sidecarCues.append((sidecar, try CaptionFile.cues(sidecar)))
        }
        let audio = TrackPlanner.audio(master: master, sidecars: request.sidecarAudio, roles: request.audioRoles,
                                       keepLanguages: request.profile.audio.languages, logger: logger)
        let captions = TrackPlanner.captions(master: master, sidecars: sidecarCues, logger: logger)
        let prepared = PreparedTranscode(master: master, video: video, plan: plan, dynamicRange: range, audio: audio, captions: captions,
                                         masterSeconds: video.duration ?? master.duration ?? 0)
        return (file, prepared)
    }

    /// The cues of the master's own subtitle streams, by stream index (read in a pass of their own).
    func masterCues(_ request: TranscodeRequest, logger: Logger) throws(TranscodeError) -> [Int: [Cue]] {
        let streams = captions.compactMap { track -> StreamDescription? in
            if case .master(let stream) = track.source { stream } else { nil }
        }
        do {
            return try MasterCaptionReader.cues(path: request.masterPath, streams: streams, origin: origin, logger: logger)
        } catch {
            throw Transcoder.describe(error)
        }
    }

    /// Where keyframes and segments fall for `request` (every rung, every chunk, the same).
    func schedule(_ request: TranscodeRequest) -> KeyframeSchedule {
        let profile = request.profile
        var schedule = KeyframeSchedule(frameRate: plan.frameRate, gopSeconds: profile.gopSeconds, gopsPerSegment: profile.gopsPerSegment,
                                        wholeFrameGOPs: plan.renditions.contains { $0.spec.codec == .av1 })
        schedule.fastStart = request.fastStart || request.output != .atomic
        return schedule
    }

    /// The colour tags every rendition is encoded with: the master's, or BT.709 when `SourceStage` tone-maps it.
    var renditionColor: ColorDescription {
        dynamicRange == .sdr ? video.colorTags : .bt709
    }

    /// libx264 threads per rendition: the request's tuning, else Strata's share of this machine's cores.
    func encoderThreads(_ request: TranscodeRequest) -> Int {
        request.tuning.encoderThreads
            ?? PipelineTuning.encoderThreads(renditions: plan.renditions.count, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Adds one encoding stage per ladder rung to `pipeline`, each fed by a queue of its own; returns the queues in
    /// rung order, for the source to fill. `part` places the rungs' segments in their tracks (a chunk's, or whole).
    func addLadder(to pipeline: TranscodePipeline, request: TranscodeRequest, schedule: KeyframeSchedule, root: URL,
                   part: TrackPart = .whole) throws -> [BoundedQueue<DecodedVideoFrame>] {
        var queues: [BoundedQueue<DecodedVideoFrame>] = []
        for (index, rendition) in plan.renditions.enumerated() {
            let queue: BoundedQueue<DecodedVideoFrame> = pipeline.queue(capacity: request.tuning.framesPerRenditionQueue)
            queues.append(queue)
            let settings = VideoEncoderFactory.settings(for: rendition, frameRate: plan.frameRate, schedule: schedule,
                                                        color: renditionColor, threads: encoderThreads(request))
            let encoder = try VideoEncoderFactory.open(settings, for: "rendition \(rendition.spec.name)")
            let directory = "video/\(rendition.spec.name)"
            let stage = try VideoRenditionStage(
                index: index, rendition: rendition, input: queue, encoder: encoder, rotation: plan.rotation, scaling: request.scaling,
                schedule: schedule, frameRate: plan.frameRate, directory: root.appendingPathComponent(directory), relativeDirectory: directory,
                listener: pipeline.listener, part: part)
            pipeline.addVideo(stage, reorderDelay: encoder.reorderDelay, index: index)
        }
        return queues
    }

    /// The expected length used for thumbnails and the "decoded less than the container said" check.
    var expectedDuration: Double? { video.duration ?? master.duration }
}

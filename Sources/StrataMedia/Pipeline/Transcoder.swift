import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles

/// Runs transcodes: probe → plan → decode once → scale and encode every rendition in parallel →
/// package as CMAF → describe with HLS and DASH → move the finished package into place.
public struct Transcoder: Sendable {
    let logger: Logger

    public init(logger: Logger = Logger(label: "strata.transcode")) {
        self.logger = logger
    }

    /// Transcodes `request.masterPath` into `request.outputDirectory`.
    ///
    /// Everything that can be checked before encoding is (the master, the profile against it, every
    /// sidecar and caption file), so bad input fails at once and nothing is written.
    /// - Parameters:
    ///   - cancellation: stops the run from another thread; the output folder is then not created.
    ///   - progress: called on the calling thread about twice a second.
    ///   - playable: with progressive output, called with the seconds players can watch each time more are listed.
    public func run(_ request: TranscodeRequest, cancellation: TranscodeCancellation? = nil,
                    progress: ((TranscodeProgress) -> Void)? = nil,
                    playable: (@Sendable (Double) -> Void)? = nil) throws(TranscodeError) -> TranscodeReport {
        let startedAt = Date()
        let (file, prepared) = try PreparedTranscode.open(request, logger: logger)
        var plan = prepared.plan
        let (captions, masterSeconds) = (prepared.captions, prepared.masterSeconds)
        let plannedCrops = try plannedCrops(request, plan: plan, masterSeconds: masterSeconds)
        plan = try perTitlePlan(plan, request: request, masterSeconds: masterSeconds)
        let crops = try smartCrops(plannedCrops, request: request, plan: plan)
        let masterCues = try prepared.masterCues(request, logger: logger)

        var staging: StagingDirectory?
        var listener: ProgressivePackage?
        let root: URL
        switch request.output {
        case .atomic:
            let folder = try StagingDirectory(destination: request.outputDirectory, overwrite: request.overwrite)
            (staging, root) = (folder, folder.url)
        case .progressive(let resume):
            let earlier = try ProgressivePackage.prepare(request.outputDirectory, overwrite: request.overwrite, resume: resume)
            root = request.outputDirectory
            listener = try prepared.progressivePackage(request, ladder: plan, masterCues: masterCues, earlier: earlier,
                                                       onPublish: { seconds in playable?(seconds) })
        }
        let facts: PackageFacts
        do {
            var planned = prepared
            planned.plan = plan
            let pipeline = try assemble(file: file, prepared: planned, crops: crops.jobs,
                                        request: request, root: root, listener: listener, cancellation: cancellation)
            let results = try pipeline.run(totalSeconds: masterSeconds, startedAt: startedAt, progress: progress)
            var measured = try packageFacts(results: results, captions: captions, masterCues: masterCues, profile: request.profile, root: root)
            measured.dynamicRange = prepared.dynamicRange.facts
            measured = try withQualityAndRates(measured, plan: plan, request: request, root: root)
            measured.crops = try cropFacts(crops.jobs, results: results, plan: plan, root: root)
            facts = measured
            try ManifestWriter.write(facts, to: root)
            if case .progressive(resume: false) = request.output {
                try? FileManager.default.removeItem(at: root.appendingPathComponent(ProgressivePackage.journalFile))
            }
            try staging?.commit()
        } catch {
            // A progressive folder stays: players may be reading it, and its journal lets a new run continue it.
            staging?.discard()
            throw Transcoder.describe(error)
        }
        var report = TranscodeReport(facts: facts, plan: plan, request: request, wallSeconds: Date().timeIntervalSince(startedAt))
        report.cropAnalysisSeconds = crops.analysisSeconds
        return report
    }

    // MARK: - Assembly

    /// Creates every stage on its thread: renditions, audio tracks, sidecar readers, then the source.
    private func assemble(file: sending InputFile, prepared: PreparedTranscode, crops: [CropJob], request: TranscodeRequest, root: URL,
                          listener: (any PackageListener)?, cancellation: TranscodeCancellation?) throws -> TranscodePipeline {
        let (plan, audio, video) = (prepared.plan, prepared.audio, prepared.video)
        let profile = request.profile
        let tuning = request.tuning
        let schedule = prepared.schedule(request)
        let pipeline = TranscodePipeline(renditions: plan.renditions.count + crops.reduce(0) { $0 + $1.plan.renditions.count }, frameRate: plan.frameRate,
                                         cancellation: cancellation, logger: logger)
        pipeline.listener = listener
        let origin = prepared.origin

        let scaling = request.scaling
        let encoderThreads = prepared.encoderThreads(request)
        var renditionQueues = try prepared.addLadder(to: pipeline, request: request, schedule: schedule, root: root)
        renditionQueues += try addCropStages(crops, to: pipeline, plan: plan, root: root, settings: CropStageSettings(
            schedule: schedule, color: prepared.renditionColor, encoderThreads: encoderThreads, scaling: scaling,
            queueCapacity: tuning.framesPerRenditionQueue))
        if let thumbnails = ThumbnailPlan(spec: profile.thumbnails ?? ThumbnailSpec(), ladder: plan, expectedDuration: prepared.expectedDuration) {
            // Fed like one more rendition, from the same decoded pictures.
            let queue: BoundedQueue<DecodedVideoFrame> = pipeline.queue(capacity: tuning.framesPerRenditionQueue)
            renditionQueues.append(queue)
            pipeline.addThumbnails(try ThumbnailStage(plan: thumbnails, input: queue, scaling: scaling, root: root))
        }

        var masterAudioQueues: [Int: BoundedQueue<Packet>] = [:]
        let boundaries = SegmentBoundaries(schedule: schedule)
        for (index, track) in audio.enumerated() {
            switch track.source {
            case .master(let stream):
                let queue: BoundedQueue<Packet> = pipeline.queue(capacity: tuning.packetsPerAudioQueue)
                masterAudioQueues[stream.index] = queue
                try pipeline.addAudioTrack(track.label, parameters: try file.codecParameters(stream: stream.index), queue: queue,
                                           origin: origin, maxLead: nil, audio: profile.audio, boundaries: boundaries, root: root, index: index)
            case .sidecar(let sidecar):
                try pipeline.addSidecarAudioTrack(track.label, sidecar: sidecar, capacity: tuning.packetsPerAudioQueue,
                                                  audio: profile.audio, boundaries: boundaries, root: root, index: index)
            }
        }

        // The master's captions were read before encoding (MasterCaptionReader).
        let source = try SourceStage(
            file: file, videoStream: video, decoderThreads: tuning.decoderThreads, renditionQueues: renditionQueues,
            audioQueues: masterAudioQueues, captions: [:], frameRate: plan.frameRate, origin: origin,
            expectedDuration: prepared.expectedDuration, control: pipeline.control, logger: logger)
        pipeline.addSource(source)
        return pipeline
    }

    // MARK: - Packaging

    /// The facts of the finished tracks, after writing the caption tracks as WebVTT on the video's segment boundaries.
    private func packageFacts(results: StageResults, captions: [PlannedCaptionTrack], masterCues: [Int: [Cue]],
                              profile: EncodingProfile, root: URL) throws -> PackageFacts {
        let video = results.videoTracks
        guard let reference = video.first?.timeline else {
            throw TranscodeError(.encoding, "no video rendition was produced")
        }
        let subtitles = try CaptionTrackWriter(video: reference, logger: logger).write(captions, masterCues: masterCues, to: root)
        return PackageFacts(video: video, audio: results.audioTracks, subtitles: subtitles, targetSegmentSeconds: profile.segmentSeconds,
                            thumbnails: results.thumbnails)
    }

    /// Any error from a stage, as a `TranscodeError` a person can act on.
    static func describe(_ error: Error) -> TranscodeError {
        switch error {
        case let error as TranscodeError: error
        case let error as FFmpegError: TranscodeError(.encoding, error.description)
        case let error as CocoaError: TranscodeError(.output, "cannot write the package: \(error.localizedDescription)")
        default: TranscodeError(.output, "\(error)")
        }
    }
}

import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles

/// Adding audio and caption tracks to a finished package.
public struct RepackageRequest: Sendable {
    /// The package to add to; it is read, never changed.
    public var package: URL
    /// Where the new package appears, complete, when done.
    public var outputDirectory: URL
    public var overwrite: Bool
    /// How new audio tracks are encoded (the package's profile's audio settings).
    public var audio: AudioSpec
    public var sidecarAudio: [SidecarAudio]
    public var sidecarCaptions: [SidecarCaptions]

    public init(package: URL, outputDirectory: URL, overwrite: Bool = false, audio: AudioSpec,
                sidecarAudio: [SidecarAudio], sidecarCaptions: [SidecarCaptions]) {
        self.package = package
        self.outputDirectory = outputDirectory
        self.overwrite = overwrite
        self.audio = audio
        self.sidecarAudio = sidecarAudio
        self.sidecarCaptions = sidecarCaptions
    }
}

/// Adds tracks to a finished package without re-encoding its video: the new package shares every
/// existing file with the old one (hard links), gains the new audio (encoded once, on the video's
/// segment boundaries and presentation offset) and captions, and gets rewritten manifests.
public struct Repackager: Sendable {
    let logger: Logger

    public init(logger: Logger = Logger(label: "strata.repackage")) {
        self.logger = logger
    }

    /// Builds the new package and returns its facts.
    public func run(_ request: RepackageRequest, cancellation: TranscodeCancellation? = nil) throws(TranscodeError) -> PackageFacts {
        let startedAt = Date()
        let facts = try ManifestWriter.readFacts(in: request.package)
        guard let video = facts.video.first else {
            throw TranscodeError(.output, "the package at '\(request.package.path)' has no video")
        }
        for sidecar in request.sidecarAudio { _ = try SidecarAudioSource.open(sidecar) }
        var sidecarCues: [(SidecarCaptions, [Cue])] = []
        for sidecar in request.sidecarCaptions { sidecarCues.append((sidecar, try CaptionFile.cues(sidecar))) }
        let audio = TrackPlanner.audio(master: nil, sidecars: request.sidecarAudio, roles: [:], keepLanguages: nil,
                                       existing: facts.audio, logger: logger)
        let captions = TrackPlanner.captions(master: nil, sidecars: sidecarCues, existing: facts.subtitles, logger: logger)

        let staging = try StagingDirectory(destination: request.outputDirectory, overwrite: request.overwrite)
        do {
            try staging.linkContents(of: request.package)
            let timeline = video.timeline
            let frameRate = Rational(Int32(video.frameRate.numerator), Int32(video.frameRate.denominator))
            // The presentation offset in frames, as the original transcode chose it.
            let offsetFrames = Int64((timeline.seconds(timeline.presentationTimeOffset) * frameRate.doubleValue).rounded())
            let boundaries = SegmentBoundaries(starts: timeline.segments.map { timeline.seconds($0.start - timeline.presentationTimeOffset) })
            let pipeline = TranscodePipeline(renditions: 0, frameRate: frameRate, cancellation: cancellation, logger: logger)
            pipeline.videoAlreadyPackaged(endSeconds: timeline.presentationDurationSeconds)
            for (index, track) in audio.enumerated() {
                guard case .sidecar(let sidecar) = track.source else { continue }
                try pipeline.addSidecarAudioTrack(track.label, sidecar: sidecar, capacity: PipelineTuning().packetsPerAudioQueue,
                                                  audio: request.audio, boundaries: boundaries, root: staging.url, index: index)
            }
            let results = try pipeline.run(totalSeconds: timeline.presentationDurationSeconds, startedAt: startedAt,
                                           fixedOffset: offsetFrames, progress: nil)
            let subtitles = try CaptionTrackWriter(video: timeline, logger: logger).write(captions, masterCues: [:], to: staging.url)
            // Everything else, the poster and storyboard included, is the old package's, linked above.
            var updated = facts
            updated.audio += results.audioTracks
            updated.subtitles += subtitles
            try ManifestWriter.write(updated, to: staging.url)
            try staging.commit()
            return updated
        } catch {
            staging.discard()
            throw Transcoder.describe(error)
        }
    }
}

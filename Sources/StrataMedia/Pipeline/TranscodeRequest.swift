import FFmpegBridge
import Foundation
import StrataManifest
import StrataProfiles

/// One transcode to run: which master, under which profile, into which folder.
public struct TranscodeRequest: Sendable {
    public var masterPath: String
    public var profile: EncodingProfile
    /// The package folder to create; it appears only when the package is complete.
    public var outputDirectory: URL
    /// Replace an existing package at `outputDirectory`.
    public var overwrite: Bool
    public var tuning: PipelineTuning
    /// Extra audio tracks (other languages, audio description) to package with the master's own.
    public var sidecarAudio: [SidecarAudio]
    /// Caption files to package as WebVTT.
    public var sidecarCaptions: [SidecarCaptions]
    /// Roles for the master's audio streams by stream index, overriding their dispositions
    /// (e.g. stream 3 is audio description although the file does not say so).
    public var audioRoles: [Int: AudioRole]
    /// Measure every rendition's PSNR and SSIM against the master (always done in per-title mode).
    public var measureQuality: Bool = false
    /// How the package is written: all at once, or segment by segment while players read it.
    public var output: OutputMode = .atomic
    /// Makes the first segment a single GOP (the rest of the first full segment follows), so a player
    /// can start sooner; every track and rung keeps the same boundaries. Progressive output implies it.
    public var fastStart = false
    /// Camera paths to use instead of the analysed ones, by crop name: a `path.json` as Strata writes it,
    /// perhaps edited (same window size, inside the picture).
    public var cropPaths: [String: URL] = [:]

    public init(masterPath: String, profile: EncodingProfile, outputDirectory: URL, overwrite: Bool = false,
                tuning: PipelineTuning = PipelineTuning(), sidecarAudio: [SidecarAudio] = [],
                sidecarCaptions: [SidecarCaptions] = [], audioRoles: [Int: AudioRole] = [:]) {
        self.masterPath = masterPath
        self.profile = profile
        self.outputDirectory = outputDirectory
        self.overwrite = overwrite
        self.tuning = tuning
        self.sidecarAudio = sidecarAudio
        self.sidecarCaptions = sidecarCaptions
        self.audioRoles = audioRoles
    }
}

extension TranscodeRequest {
    /// The profile's resampling filter for resizing pictures.
    var scaling: ScalingFilter { ScalingFilter(rawValue: profile.scaling.rawValue) ?? .bicubic }
}

/// How a transcode writes its package.
public enum OutputMode: Sendable, Hashable {
    /// Built in a hidden folder and renamed into place when complete: all or nothing.
    case atomic
    /// Written in place, each segment as it is finished, with EVENT playlists and a dynamic MPD until the
    /// end. With `resume`, a folder left by an interrupted run is continued, keeping what it published.
    case progressive(resume: Bool)
}

/// Queue sizes and thread counts of the pipeline.
public struct PipelineTuning: Sendable, Hashable {
    /// Decoded pictures waiting for each rendition. Bounds memory: the decoder stalls when a rendition lags this far.
    public var framesPerRenditionQueue: Int
    /// Compressed audio packets waiting for each audio track.
    public var packetsPerAudioQueue: Int
    /// Video decoder threads (0: one per core).
    public var decoderThreads: Int
    /// libx264 threads per rendition: nil for Strata's choice (`encoderThreads(renditions:cores:)`), 0 to let libx264 decide.
    public var encoderThreads: Int?

    public init(framesPerRenditionQueue: Int = 4, packetsPerAudioQueue: Int = 2048, decoderThreads: Int = 0, encoderThreads: Int? = nil) {
        self.framesPerRenditionQueue = framesPerRenditionQueue
        self.packetsPerAudioQueue = packetsPerAudioQueue
        self.decoderThreads = decoderThreads
        self.encoderThreads = encoderThreads
    }

    /// libx264 threads for each of `renditions` encoders running side by side on `cores` cores.
    ///
    /// libx264 alone would start 1.5 threads per core for every encoder; the renditions already run in
    /// parallel, so Strata shares that budget between them, keeping at least two per encoder so the
    /// largest rung does not become a single-threaded critical path. Measured on 2 cores with the
    /// default ladder: same wall time as libx264's own choice, 6% less peak memory.
    public static func encoderThreads(renditions: Int, cores: Int) -> Int {
        max(2, Int((1.5 * Double(cores) / Double(max(renditions, 1))).rounded(.up)))
    }
}

/// How far a running transcode has got.
public struct TranscodeProgress: Sendable {
    /// 0…1.
    public var fraction: Double
    /// Seconds of the master encoded by the slowest rendition.
    public var encodedSeconds: Double
    /// Length of the master in seconds (estimated from the container until the end is read).
    public var totalSeconds: Double
    /// Frames per second the slowest rendition is encoding at.
    public var framesPerSecond: Double
    /// Media seconds per wall-clock second.
    public var speed: Double
    /// Estimated seconds left, when known.
    public var secondsRemaining: Double?
}

/// What a finished transcode made.
public struct TranscodeReport: Sendable, Codable {
    public struct Rendition: Sendable, Codable {
        public var name: String
        public var width: Int
        public var height: Int
        public var codecs: String
        public var frameRate: String
        /// Bits per second of the busiest segment.
        public var peakBitRate: Int
        public var averageBitRate: Int
        public var segments: Int
        /// PSNR/SSIM against the master scaled to this size, when measured.
        public var quality: QualityFacts?
        /// Per-title: how the rate was chosen, and why.
        public var rateControl: RateControlFacts?
    }

    public struct Audio: Sendable, Codable {
        public var id: String
        public var language: String
        public var name: String
        public var role: String
        public var codecs: String
        public var channels: Int
        public var peakBitRate: Int
        public var averageBitRate: Int
        public var segments: Int
    }

    public struct Subtitles: Sendable, Codable {
        public var id: String
        public var language: String
        public var name: String
        public var kind: String
        public var segments: Int
    }

    public var output: String
    public var profile: String
    public var master: String
    /// Seconds of presentation.
    public var duration: Double
    public var renditions: [Rendition]
    public var audio: [Audio]
    public var subtitles: [Subtitles]
    /// Rungs of the profile left out because they would upscale the master.
    public var droppedRenditions: [String]
    /// The rung added at the master's own size, when it lies between the profile's rungs.
    public var sourceSizeRendition: String?
    /// Per-title: what the analysis measured and which rungs it left out.
    public var perTitle: PerTitleFacts?
    /// An HDR master's range and how it was converted (tone-mapped to SDR); absent for SDR masters.
    public var dynamicRange: DynamicRangeFacts?
    /// Seconds the transcode took.
    public var wallSeconds: Double
    /// Poster and storyboard files, when the profile made them.
    public var thumbnails: ThumbnailFacts?
    /// Smart-crop presentations, when the profile asked for them.
    public var crops: [Crop]? = nil
    /// Seconds the smart-crop analysis pass took (part of `wallSeconds`).
    public var cropAnalysisSeconds: Double? = nil

    /// A smart-crop presentation: where its manifests and camera path are, and its rungs.
    public struct Crop: Sendable, Codable {
        public var name: String
        public var aspect: String
        /// Paths relative to the package root.
        public var hls: String
        public var dash: String
        public var path: String
        public var renditions: [Rendition]
    }
}

extension TranscodeReport {
    init(facts: PackageFacts, plan: LadderPlan, request: TranscodeRequest, wallSeconds: Double) {
        self.init(
            output: request.outputDirectory.path, profile: request.profile.name, master: request.masterPath,
            duration: facts.durationSeconds,
            renditions: facts.video.map(Rendition.init),
            audio: facts.audio.map {
                Audio(id: $0.id, language: $0.language, name: $0.name, role: $0.role.rawValue, codecs: $0.codecs, channels: $0.channels,
                      peakBitRate: $0.timeline.peakBitRate, averageBitRate: $0.timeline.averageBitRate, segments: $0.timeline.segments.count)
            },
            subtitles: facts.subtitles.map {
                Subtitles(id: $0.id, language: $0.language, name: $0.name, kind: $0.kind.rawValue, segments: $0.segments.count)
            },
            droppedRenditions: plan.droppedRenditions, sourceSizeRendition: plan.sourceSizeRendition, perTitle: facts.perTitle,
            dynamicRange: facts.dynamicRange, wallSeconds: wallSeconds, thumbnails: facts.thumbnails)
        crops = facts.crops?.map {
            Crop(name: $0.name, aspect: $0.aspect, hls: $0.hlsPath, dash: $0.dashPath, path: $0.pathFile, renditions: $0.video.map(Rendition.init))
        }
    }
}

extension TranscodeReport.Rendition {
    init(_ video: VideoTrackFacts) {
        self.init(name: video.id, width: video.width, height: video.height, codecs: video.codecs, frameRate: video.frameRate.decimal,
                  peakBitRate: video.timeline.peakBitRate, averageBitRate: video.timeline.averageBitRate,
                  segments: video.timeline.segments.count, quality: video.quality, rateControl: video.rateControl)
    }
}

/// An operator's recipe for one package: the video ladder, GOP and segment timing, and audio settings.
public struct EncodingProfile: Sendable, Hashable, Codable {
    /// Short identifier, also the file name under `Profiles/`.
    public var name: String
    public var description: String?
    /// Target media segment length; every segment starts with an IDR frame in every rendition.
    public var segmentSeconds: Double
    /// Distance between keyframes; `segmentSeconds` is a whole multiple of it.
    public var gopSeconds: Double
    /// Frame rates above this are halved until they fit (e.g. 60 → 30 when the cap is 30).
    public var maxFrameRate: Double
    /// Resampling filter for resizing pictures.
    public var scaling: ScalingAlgorithm
    /// Rungs of the ladder, largest first.
    public var renditions: [RenditionSpec]
    public var audio: AudioSpec
    /// Poster and storyboard; nil (a profile stored before they existed) means `ThumbnailSpec()`'s defaults.
    public var thumbnails: ThumbnailSpec?
    /// Per-title mode (`rate_control: per_title`): the quality to reach; nil for the fixed ladder.
    public var perTitle: PerTitleTarget?
    /// Presentations at other aspect ratios whose window follows the subject; nil or empty for none.
    public var crops: [CropSpec]?
    /// When a job on a shared queue is cut into chunks for several workers; nil (a profile stored before it
    /// existed) means `ChunkingSpec()`'s defaults.
    public var chunking: ChunkingSpec?

    public init(name: String, description: String? = nil, segmentSeconds: Double = 6, gopSeconds: Double = 2,
                maxFrameRate: Double = 60, scaling: ScalingAlgorithm = .bicubic, renditions: [RenditionSpec],
                audio: AudioSpec = AudioSpec(), thumbnails: ThumbnailSpec = ThumbnailSpec(), perTitle: PerTitleTarget? = nil,
                crops: [CropSpec]? = nil, chunking: ChunkingSpec = ChunkingSpec()) {
        self.name = name
        self.description = description
        self.segmentSeconds = segmentSeconds
        self.gopSeconds = gopSeconds
        self.maxFrameRate = maxFrameRate
        self.scaling = scaling
        self.renditions = renditions
        self.audio = audio
        self.thumbnails = thumbnails
        self.perTitle = perTitle
        self.crops = crops
        self.chunking = chunking
    }

    /// Keyframes per segment.
    public var gopsPerSegment: Int { Int((segmentSeconds / gopSeconds).rounded()) }
}

/// One rung of the ladder.
public struct RenditionSpec: Sendable, Hashable, Codable {
    /// Identifier used in paths and manifests, e.g. "720p".
    public var name: String
    /// Target height in pixels; the width follows the master's display aspect ratio.
    public var height: Int
    /// When set, the picture is fitted inside `width`×`height`, keeping its aspect ratio.
    public var width: Int?
    /// Average video bit rate in bits per second.
    public var bitrate: Int
    /// Peak rate the VBV buffer allows, bits per second.
    public var maxrate: Int
    /// VBV buffer size in bits.
    public var bufsize: Int
    public var codec: VideoCodec
    /// Encoder speed/quality preset, e.g. "fast" (x264/x265) or "10" (SVT-AV1).
    public var preset: String
    /// Codec profile, e.g. "high".
    public var profile: String
    /// Codec level, e.g. "4.0", or nil to let the encoder pick.
    public var level: String?
    /// HEVC/AV1 tier, "main" or "high"; nil means main.
    public var tier: String?

    public init(name: String, height: Int, width: Int? = nil, bitrate: Int, maxrate: Int? = nil, bufsize: Int? = nil,
                codec: VideoCodec = .h264, preset: String = "fast", profile: String = "high", level: String? = nil,
                tier: String? = nil) {
        self.name = name
        self.height = height
        self.width = width
        self.bitrate = bitrate
        self.maxrate = maxrate ?? RenditionSpec.defaultMaxrate(bitrate)
        self.bufsize = bufsize ?? RenditionSpec.defaultBufsize(bitrate)
        self.codec = codec
        self.preset = preset
        self.profile = profile
        self.level = level
        self.tier = tier
    }

    /// Default peak: 110% of the average, a common VOD cap that keeps BANDWIDTH honest.
    public static func defaultMaxrate(_ bitrate: Int) -> Int { bitrate * 11 / 10 }
    /// Default buffer: two seconds at the average rate.
    public static func defaultBufsize(_ bitrate: Int) -> Int { bitrate * 2 }
}

/// The quality a per-title ladder aims for, and how far apart its rungs must be.
public struct PerTitleTarget: Sendable, Hashable, Codable {
    /// What each rung's bits are chosen to reach.
    public enum Goal: Sendable, Hashable, Codable {
        /// One x264 constant-quality level for every rung (lower is better; 18 is near-transparent, 23 is x264's default).
        case constantQuality(crf: Double)
        /// Each rung's PSNR under its fixed profile rate, less at most this many dB, for as few bits as that allows.
        case matchFixedLadder(maximumPSNRLoss: Double)
    }

    public var goal: Goal
    /// A rung is left out when its predicted bit rate is less than this factor below the rung above it.
    public var minimumRungSpacing: Double

    public init(goal: Goal, minimumRungSpacing: Double = 1.4) {
        self.goal = goal
        self.minimumRungSpacing = minimumRungSpacing
    }

    public init(crf: Double, minimumRungSpacing: Double = 1.4) {
        self.init(goal: .constantQuality(crf: crf), minimumRungSpacing: minimumRungSpacing)
    }

    /// The constant-quality level, when that is the goal.
    public var crf: Double? {
        if case .constantQuality(let crf) = goal { return crf }
        return nil
    }

    /// The PSNR a rung may lose against the fixed ladder, when matching it is the goal.
    public var maximumPSNRLoss: Double? {
        if case .matchFixedLadder(let loss) = goal { return loss }
        return nil
    }
}

/// Audio encoding applied to every audio track.
public struct AudioSpec: Sendable, Hashable, Codable {
    public var codec: AudioCodec
    /// Bits per second.
    public var bitrate: Int
    public var channels: Int
    public var sampleRate: Int
    /// BCP 47 tags of the master's audio languages to keep; nil keeps every audio stream.
    /// Sidecar audio named at transcode time is always kept.
    public var languages: [String]?

    public init(codec: AudioCodec = .aac, bitrate: Int = 128_000, channels: Int = 2, sampleRate: Int = 48_000, languages: [String]? = nil) {
        self.codec = codec
        self.bitrate = bitrate
        self.channels = channels
        self.sampleRate = sampleRate
        self.languages = languages
    }
}

/// Video codecs a rendition can use.
public enum VideoCodec: String, Sendable, Hashable, Codable, CaseIterable {
    /// H.264/AVC through libx264.
    case h264
    /// H.265/HEVC through libx265, packaged as `hvc1`.
    case hevc
    /// AV1 through libsvtav1, packaged as `av01`.
    case av1
}

/// Audio codecs an audio track can use.
public enum AudioCodec: String, Sendable, Hashable, Codable, CaseIterable {
    case aac
}

/// Picture resampling filters.
public enum ScalingAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    case bilinear, bicubic, lanczos
}

/// What a finished package holds, as measured by the segmenter: the only input the manifest writers need.
///
/// Paths are relative to the package root and use `/`. Times are in each track's own timescale.
public struct PackageFacts: Sendable, Hashable, Codable {
    public var video: [VideoTrackFacts]
    public var audio: [AudioTrackFacts]
    public var subtitles: [SubtitleTrackFacts]
    /// The profile's segment length, in seconds.
    public var targetSegmentSeconds: Double
    /// Poster and storyboard, when the profile made them (absent in packages made before they existed).
    public var thumbnails: ThumbnailFacts?
    /// What per-title analysis found and decided, in per-title runs.
    public var perTitle: PerTitleFacts?
    /// An HDR master's range and how it was converted; absent for SDR masters.
    public var dynamicRange: DynamicRangeFacts?
    /// Smart-crop presentations (`crops/<name>/`), when the profile asked for them.
    public var crops: [CropFacts]?

    public init(video: [VideoTrackFacts], audio: [AudioTrackFacts], subtitles: [SubtitleTrackFacts] = [], targetSegmentSeconds: Double,
                thumbnails: ThumbnailFacts? = nil) {
        self.video = video
        self.audio = audio
        self.subtitles = subtitles
        self.targetSegmentSeconds = targetSegmentSeconds
        self.thumbnails = thumbnails
    }

    /// Length of the presentation: the longest track from presentation time zero, in seconds.
    public var durationSeconds: Double {
        (video.map(\.timeline.presentationDurationSeconds) + audio.map(\.timeline.presentationDurationSeconds)).max() ?? 0
    }
}

/// One media segment file.
public struct SegmentFacts: Sendable, Hashable, Codable {
    /// File name inside the track's directory.
    public var file: String
    /// Earliest presentation time, in the track's timescale (including the presentation time offset).
    public var start: Int64
    public var duration: Int64
    /// Size of the file in bytes.
    public var byteCount: Int

    public init(file: String, start: Int64, duration: Int64, byteCount: Int) {
        self.file = file
        self.start = start
        self.duration = duration
        self.byteCount = byteCount
    }
}

/// An init segment plus numbered media segments (`seg-1.m4s`, `seg-2.m4s`, …) in one directory.
public struct TrackTimeline: Sendable, Hashable, Codable {
    /// Directory of the track, relative to the package root, e.g. "video/720p".
    public var directory: String
    /// Ticks per second.
    public var timescale: Int
    /// The media time that maps to presentation time zero.
    public var presentationTimeOffset: Int64
    /// File name of the init segment inside `directory`.
    public var initialization: String
    public var segments: [SegmentFacts]

    /// The DASH `$Number$` template the segment files follow; their numbers start at 1.
    public static let segmentTemplate = "seg-$Number$.m4s"
    public static func segmentFile(number: Int) -> String { "seg-\(number).m4s" }

    public init(directory: String, timescale: Int, presentationTimeOffset: Int64, initialization: String = "init.mp4", segments: [SegmentFacts]) {
        self.directory = directory
        self.timescale = timescale
        self.presentationTimeOffset = presentationTimeOffset
        self.initialization = initialization
        self.segments = segments
    }

    public func seconds(_ ticks: Int64) -> Double { Double(ticks) / Double(timescale) }

    /// Total duration of all segments, in seconds (audio priming before presentation time zero included).
    public var durationSeconds: Double { seconds(segments.reduce(0) { $0 + $1.duration }) }

    /// Seconds from presentation time zero (`presentationTimeOffset`) to the end of the last segment.
    public var presentationDurationSeconds: Double {
        guard let last = segments.last else { return 0 }
        return seconds(last.start + last.duration - presentationTimeOffset)
    }

    /// The highest bit rate of any one segment (HLS authoring spec 1.26: BANDWIDTH is the peak segment bit rate).
    /// Durations are taken to the millisecond below, as `EXTINF` gives them, so no client measures more.
    public var peakBitRate: Int {
        segments.map { peakRate(bytes: $0.byteCount, ticks: $0.duration) }.max() ?? 0
    }

    /// Total bits over total duration.
    public var averageBitRate: Int {
        bitRate(bytes: segments.reduce(0) { $0 + $1.byteCount }, seconds: durationSeconds)
    }

    /// Bits per second of `bytes` delivered over `ticks`, with the duration taken to the millisecond
    /// below as a playlist shows it, so no client measures more.
    func peakRate(bytes: Int, ticks: Int64) -> Int {
        bitRate(bytes: bytes, seconds: max((seconds(ticks) * 1000).rounded(.down), 1) / 1000)
    }

    /// Bits per second of `bytes` over `seconds`, rounded up.
    func bitRate(bytes: Int, seconds: Double) -> Int {
        Int((Double(bytes * 8) / max(seconds, 0.001)).rounded(.up))
    }

    /// The longest segment, in seconds.
    public var longestSegmentSeconds: Double { segments.map { seconds($0.duration) }.max() ?? 0 }
}

/// A video frame's frames-per-second as an exact fraction, e.g. 30000/1001.
public struct FrameRate: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int = 1) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public var value: Double { Double(numerator) / Double(denominator) }

    /// HLS `FRAME-RATE`: a decimal with three places, e.g. "29.970".
    public var decimal: String { formatDecimal(value, places: 3) }

    /// DASH `@frameRate`: "30" or "30000/1001".
    public var fraction: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}

/// The location of one IDR frame inside a segment file, for trick play.
public struct IFrameFacts: Sendable, Hashable, Codable {
    /// Segment file (inside the track's directory) holding the frame.
    public var file: String
    /// Byte offset of the fragment (`moof`) that starts with the frame.
    public var byteOffset: Int
    /// Bytes from `byteOffset` through the end of the frame's data.
    public var byteCount: Int
    /// Presentation time, in the track's timescale.
    public var start: Int64
    /// Time until the next I-frame (or the end), in the track's timescale.
    public var duration: Int64

    public init(file: String, byteOffset: Int, byteCount: Int, start: Int64, duration: Int64) {
        self.file = file
        self.byteOffset = byteOffset
        self.byteCount = byteCount
        self.start = start
        self.duration = duration
    }
}

/// A video rendition of the ladder.
public struct VideoTrackFacts: Sendable, Hashable, Codable {
    /// Rendition name, e.g. "720p"; the DASH Representation id is "video-" followed by it.
    public var id: String
    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// RFC 6381 codec string read from the bitstream, e.g. "avc1.64001f".
    public var codecs: String
    public var timeline: TrackTimeline
    public var iFrames: [IFrameFacts]
    /// PSNR and SSIM against the master, when measured (`--measure-quality`, per-title runs).
    public var quality: QualityFacts?
    /// How the encoder's rate was chosen, in per-title runs.
    public var rateControl: RateControlFacts?

    public init(id: String, width: Int, height: Int, frameRate: FrameRate, codecs: String, timeline: TrackTimeline, iFrames: [IFrameFacts]) {
        self.id = id
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.codecs = codecs
        self.timeline = timeline
        self.iFrames = iFrames
    }

    /// The highest bit rate of any one I-frame over its interval (BANDWIDTH of the I-frame playlist).
    public var iFramePeakBitRate: Int {
        iFrames.map { timeline.peakRate(bytes: $0.byteCount, ticks: $0.duration) }.max() ?? 0
    }

    /// All I-frame bytes over the track's duration (AVERAGE-BANDWIDTH of the I-frame playlist).
    public var iFrameAverageBitRate: Int {
        timeline.bitRate(bytes: iFrames.reduce(0) { $0 + $1.byteCount }, seconds: timeline.durationSeconds)
    }
}

/// Why an audio track exists.
public enum AudioRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// The programme's original audio.
    case main
    /// A dubbed translation.
    case dub
    /// Audio description for blind and partially sighted viewers.
    case description
    /// A commentary track.
    case commentary
}

/// An audio rendition.
public struct AudioTrackFacts: Sendable, Hashable, Codable {
    /// Identifier, unique among audio tracks, e.g. "en-description"; the DASH Representation id is "audio-" followed by it.
    public var id: String
    /// BCP 47 language tag, e.g. "en", or "und".
    public var language: String
    /// Human-readable name shown by players, e.g. "English" or "English (described)".
    public var name: String
    public var role: AudioRole
    /// True for the one track players should pick by default.
    public var isDefault: Bool
    public var channels: Int
    public var sampleRate: Int
    /// RFC 6381 codec string, e.g. "mp4a.40.2".
    public var codecs: String
    public var timeline: TrackTimeline

    public init(id: String, language: String, name: String, role: AudioRole, isDefault: Bool, channels: Int,
                sampleRate: Int, codecs: String, timeline: TrackTimeline) {
        self.id = id
        self.language = language
        self.name = name
        self.role = role
        self.isDefault = isDefault
        self.channels = channels
        self.sampleRate = sampleRate
        self.codecs = codecs
        self.timeline = timeline
    }
}

/// What a caption track is for.
public enum SubtitleKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Dialogue transcribed or translated.
    case subtitles
    /// Subtitles for the deaf and hard of hearing: dialogue plus sounds and music.
    case sdh
    /// Only the text players must always show (foreign dialogue, signs).
    case forced
}

/// A WebVTT caption track, segmented on the video's boundaries.
public struct SubtitleTrackFacts: Sendable, Hashable, Codable {
    public var id: String
    public var language: String
    public var name: String
    public var kind: SubtitleKind
    public var isDefault: Bool
    /// Directory of the track relative to the package root.
    public var directory: String
    /// The whole track as one WebVTT file inside `directory`, for download (the manifests use the segments).
    public var sidecarFile: String
    /// WebVTT segments inside `directory` (HLS and DASH), with durations in seconds.
    public var segments: [SubtitleSegmentFacts]

    /// The DASH `$Number$` template the segment files follow (`seg-1.vtt`, …).
    public static let segmentTemplate = "seg-$Number$.vtt"
    public static func segmentFile(number: Int) -> String { "seg-\(number).vtt" }

    public init(id: String, language: String, name: String, kind: SubtitleKind, isDefault: Bool, directory: String,
                sidecarFile: String, segments: [SubtitleSegmentFacts]) {
        self.id = id
        self.language = language
        self.name = name
        self.kind = kind
        self.isDefault = isDefault
        self.directory = directory
        self.sidecarFile = sidecarFile
        self.segments = segments
    }
}

/// One WebVTT segment file.
public struct SubtitleSegmentFacts: Sendable, Hashable, Codable {
    public var file: String
    public var durationSeconds: Double
    public var byteCount: Int

    public init(file: String, durationSeconds: Double, byteCount: Int) {
        self.file = file
        self.durationSeconds = durationSeconds
        self.byteCount = byteCount
    }
}

/// `value` with exactly `places` decimals, using `.` whatever the locale.
func formatDecimal(_ value: Double, places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let sign = scaled < 0 ? "-" : ""
    let magnitude = abs(scaled)
    let whole = magnitude / Int64(scale)
    guard places > 0 else { return "\(sign)\(whole)" }
    var fraction = String(magnitude % Int64(scale))
    while fraction.count < places { fraction = "0" + fraction }
    return "\(sign)\(whole).\(fraction)"
}

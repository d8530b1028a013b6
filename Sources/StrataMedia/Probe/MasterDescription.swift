import FFmpegBridge

/// What `strata probe` reports about a master: its container and every stream.
public struct MasterDescription: Sendable, Codable {
    public var path: String
    /// FFmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var format: String
    /// Seconds.
    public var duration: Double?
    /// Bits per second.
    public var bitRate: Int?
    /// File size in bytes.
    public var size: Int
    public var streams: [StreamDescription]

    /// The stream Strata transcodes as video: the first real video stream (not cover art).
    public var mainVideo: StreamDescription? {
        streams.first { $0.type == .video && !$0.dispositions.contains("attached_pic") }
    }

    public var audioStreams: [StreamDescription] { streams.filter { $0.type == .audio } }
    public var subtitleStreams: [StreamDescription] { streams.filter { $0.type == .subtitle } }
}

/// One stream of a master, with the facts needed to plan renditions and tracks.
public struct StreamDescription: Sendable, Codable {
    public var index: Int
    public var type: MediaKind
    /// FFmpeg codec name, e.g. "h264", "prores", "aac".
    public var codec: String
    public var profile: String?
    /// Seconds.
    public var duration: Double?
    /// Seconds, relative to the container's clock.
    public var startTime: Double?
    public var bitRate: Int?
    /// As tagged in the container (usually ISO 639-2, e.g. "eng").
    public var language: String?
    public var title: String?
    /// Disposition flags that are set, e.g. ["default", "visual_impaired"].
    public var dispositions: [String]

    // Video
    public var width: Int?
    public var height: Int?
    /// Size as shown, after the sample aspect ratio and rotation.
    public var displayWidth: Int?
    public var displayHeight: Int?
    /// Degrees clockwise the picture is turned to show upright.
    public var rotation: Int?
    /// e.g. "1:1"; absent when unknown.
    public var sampleAspectRatio: String?
    /// True when `sampleAspectRatio` is implausible (damage, e.g. 8193:1) and the picture is taken as square pixels.
    public var sampleAspectRatioIgnored: Bool?
    /// Frames per second (average over the stream).
    public var frameRate: Double?
    /// The container's base frame rate, a hint for variable-frame-rate streams.
    public var baseFrameRate: Double?
    public var pixelFormat: String?
    /// Colour tags (range, primaries, transfer, matrix), when set.
    public var color: [String: String]?

    // Audio
    public var channels: Int?
    public var channelLayout: String?
    public var sampleRate: Int?

    /// The stream's frame rate as an exact fraction, when known.
    var exactFrameRate: Rational? = nil
    /// The stream's colour tags, carried to the renditions.
    var colorTags: ColorDescription = .unspecified

    enum CodingKeys: String, CodingKey {
        case index, type, codec, profile, duration, startTime, bitRate, language, title, dispositions, width, height,
             displayWidth, displayHeight, rotation, sampleAspectRatio, sampleAspectRatioIgnored, frameRate, baseFrameRate, pixelFormat, color,
             channels, channelLayout, sampleRate
    }
}

extension StreamDescription {
    init(_ info: StreamInfo) {
        let seconds = { (ticks: Int64?) in ticks.map { Double($0) * info.timeBase.doubleValue } }
        self.init(index: info.index, type: info.kind, codec: info.codecName, profile: info.profileName,
                  duration: seconds(info.duration), startTime: seconds(info.startTime), bitRate: info.bitRate,
                  language: info.language, title: info.title, dispositions: info.dispositions)
        switch info.kind {
        case .video:
            width = info.width
            height = info.height
            let display = info.displaySize
            displayWidth = display.width
            displayHeight = display.height
            rotation = info.rotation.rawValue
            sampleAspectRatio = info.sampleAspectRatio.map { "\($0.numerator):\($0.denominator)" }
            sampleAspectRatioIgnored = info.hasImplausibleSampleAspectRatio ? true : nil
            frameRate = info.averageFrameRate?.doubleValue
            baseFrameRate = info.baseFrameRate?.doubleValue
            pixelFormat = info.pixelFormat
            let names = info.color.names
            color = names.isEmpty ? nil : names
            exactFrameRate = info.averageFrameRate ?? info.baseFrameRate
            colorTags = info.color
        case .audio:
            channels = info.channelCount
            channelLayout = info.channelLayout
            sampleRate = info.sampleRate
        default:
            break
        }
    }
}

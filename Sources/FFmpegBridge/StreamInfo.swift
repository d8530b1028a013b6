import CFFmpeg

/// What kind of data a stream carries.
public enum MediaKind: String, Sendable, Codable {
    case video, audio, subtitle, data, attachment, unknown
}

/// Facts about one stream of an opened container, copied out of FFmpeg's structs.
public struct StreamInfo: Sendable {
    public var index: Int
    public var kind: MediaKind
    /// FFmpeg's codec name, e.g. "h264", "prores", "aac", "mov_text".
    public var codecName: String
    /// The codec profile's name when FFmpeg knows it, e.g. "High".
    public var profileName: String?
    public var timeBase: Rational
    /// First timestamp in `timeBase`, or nil when unknown.
    public var startTime: Int64?
    /// Duration in `timeBase`, or nil when unknown.
    public var duration: Int64?
    /// Bits per second as declared by the container, or nil.
    public var bitRate: Int?
    public var language: String?
    public var title: String?
    /// Names of the set disposition flags, e.g. ["default", "visual_impaired"].
    public var dispositions: [String]

    // Video
    public var width: Int = 0
    public var height: Int = 0
    public var pixelFormat: String?
    public var sampleAspectRatio: Rational?
    /// Frames per second averaged over the stream, or nil when unknown.
    public var averageFrameRate: Rational?
    /// The container's "real base frame rate", or nil when unknown.
    public var baseFrameRate: Rational?
    /// Turn needed to show the picture upright, from the display matrix.
    public var rotation: QuarterTurn = .none
    /// Rotation angle in degrees when it is not a multiple of 90 (not corrected).
    public var unsupportedRotationDegrees: Double?
    public var color: ColorDescription = .unspecified

    // Audio
    public var sampleRate: Int = 0
    public var channelCount: Int = 0
    public var channelLayout: String?

    /// Sample aspect ratios a real picture can have. The widest real anamorphic formats are 2:1 (and 1:2);
    /// anything beyond 1:4…4:1 is damage (a fuzzed master read 8193:1) and is shown as square pixels, as players do.
    public static let plausibleSampleAspectRatios: ClosedRange<Double> = 0.25...4

    /// True when the stream declares a sample aspect ratio outside `plausibleSampleAspectRatios` (it is then ignored).
    public var hasImplausibleSampleAspectRatio: Bool {
        guard let sar = sampleAspectRatio, sar.isValid else { return false }
        return !StreamInfo.plausibleSampleAspectRatios.contains(sar.doubleValue)
    }

    /// Width and height as shown: square pixels, after rotation.
    public var displaySize: (width: Int, height: Int) {
        var displayWidth = Double(width)
        if let sar = sampleAspectRatio, sar.isValid, sar.numerator != sar.denominator, !hasImplausibleSampleAspectRatio {
            displayWidth = Double(width) * sar.doubleValue
        }
        let w = Int(displayWidth.rounded())
        return rotation.swapsDimensions ? (height, w) : (w, height)
    }
}

/// Facts about an opened container.
public struct ContainerInfo: Sendable {
    /// FFmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var formatName: String
    /// Duration in seconds, or nil when unknown.
    public var duration: Double?
    /// Start time in seconds, or nil when unknown.
    public var startTime: Double?
    public var bitRate: Int?
    public var streams: [StreamInfo]
}

extension StreamInfo {
    init(stream: UnsafeMutablePointer<AVStream>) {
        let parameters = stream.pointee.codecpar!.pointee
        let kind: MediaKind = switch parameters.codec_type {
        case AVMEDIA_TYPE_VIDEO: .video
        case AVMEDIA_TYPE_AUDIO: .audio
        case AVMEDIA_TYPE_SUBTITLE: .subtitle
        case AVMEDIA_TYPE_DATA: .data
        case AVMEDIA_TYPE_ATTACHMENT: .attachment
        default: .unknown
        }
        let timeBase = Rational(stream.pointee.time_base)
        let metadata = stream.pointee.metadata
        self.init(
            index: Int(stream.pointee.index),
            kind: kind,
            codecName: String(cString: avcodec_get_name(parameters.codec_id)),
            profileName: avcodec_profile_name(parameters.codec_id, parameters.profile).map { String(cString: $0) },
            timeBase: timeBase,
            startTime: stream.pointee.start_time == noTimestamp ? nil : stream.pointee.start_time,
            duration: stream.pointee.duration == noTimestamp || stream.pointee.duration <= 0 ? nil : stream.pointee.duration,
            bitRate: parameters.bit_rate > 0 ? Int(parameters.bit_rate) : nil,
            language: metadataValue(metadata, "language"),
            title: metadataValue(metadata, "title"),
            dispositions: dispositionNames(stream.pointee.disposition)
        )
        switch kind {
        case .video:
            // A damaged header can claim a negative size (found by fuzzing): 0 means unknown, which the ladder refuses.
            width = max(0, Int(parameters.width))
            height = max(0, Int(parameters.height))
            pixelFormat = av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) }
            let sar = stream.pointee.sample_aspect_ratio.num > 0 ? stream.pointee.sample_aspect_ratio : parameters.sample_aspect_ratio
            sampleAspectRatio = sar.num > 0 && sar.den > 0 ? Rational(sar) : nil
            let average = Rational(stream.pointee.avg_frame_rate)
            averageFrameRate = average.isValid ? average : nil
            let base = Rational(stream.pointee.r_frame_rate)
            baseFrameRate = base.isValid ? base : nil
            color = ColorDescription(range: parameters.color_range, primaries: parameters.color_primaries,
                                     transfer: parameters.color_trc, matrix: parameters.color_space)
            var size: Int = 0
            if let matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 {
                let degrees = matrix.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
                // FFmpeg's angle is counter-clockwise; the picture must be turned the other way to show upright.
                if !degrees.isNaN {
                    if let turn = QuarterTurn(degreesClockwise: -degrees) {
                        rotation = turn
                    } else {
                        unsupportedRotationDegrees = -degrees
                    }
                }
            }
        case .audio:
            sampleRate = Int(parameters.sample_rate)
            var layout = parameters.ch_layout
            channelCount = Int(layout.nb_channels)
            var buffer = [CChar](repeating: 0, count: 64)
            if av_channel_layout_describe(&layout, &buffer, buffer.count) > 0 {
                channelLayout = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        default:
            break
        }
    }
}

private func metadataValue(_ dictionary: OpaquePointer?, _ key: String) -> String? {
    guard let entry = av_dict_get(dictionary, key, nil, 0), let value = entry.pointee.value else { return nil }
    let string = String(cString: value)
    return string.isEmpty ? nil : string
}

private let dispositionFlags: [(Int32, String)] = [
    (AV_DISPOSITION_DEFAULT, "default"), (AV_DISPOSITION_DUB, "dub"), (AV_DISPOSITION_ORIGINAL, "original"),
    (AV_DISPOSITION_COMMENT, "comment"), (AV_DISPOSITION_LYRICS, "lyrics"), (AV_DISPOSITION_KARAOKE, "karaoke"),
    (AV_DISPOSITION_FORCED, "forced"), (AV_DISPOSITION_HEARING_IMPAIRED, "hearing_impaired"),
    (AV_DISPOSITION_VISUAL_IMPAIRED, "visual_impaired"), (AV_DISPOSITION_CLEAN_EFFECTS, "clean_effects"),
    (AV_DISPOSITION_ATTACHED_PIC, "attached_pic"), (AV_DISPOSITION_CAPTIONS, "captions"),
    (AV_DISPOSITION_DESCRIPTIONS, "descriptions"), (AV_DISPOSITION_METADATA, "metadata"),
]

private func dispositionNames(_ flags: Int32) -> [String] {
    dispositionFlags.compactMap { flags & $0.0 != 0 ? $0.1 : nil }
}

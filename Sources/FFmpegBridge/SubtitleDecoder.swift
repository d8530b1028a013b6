import CFFmpeg

/// One decoded subtitle event: when it shows, and its text as FFmpeg's ASS dialogue or plain text.
public struct SubtitleEvent: Sendable {
    /// Seconds on the stream's clock.
    public var start: Double
    /// Seconds on the stream's clock, or nil when the stream does not say.
    public var end: Double?
    /// ASS dialogue lines ("ReadOrder,Layer,Style,…,Text") for text subtitles.
    public var dialogue: [String]
    /// True when the event is a picture (DVD, PGS), which cannot become WebVTT text.
    public var isBitmap: Bool
}

/// Decodes a text subtitle stream (`AVCodecContext` with `avcodec_decode_subtitle2`).
public final class SubtitleDecoder {
    private let context: UnsafeMutablePointer<AVCodecContext>
    private let timeBase: Rational

    public init(parameters source: CodecParameters) throws(FFmpegError) {
        context = try source.openDecoder()
        timeBase = source.timeBase
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// Decodes one packet; returns nil when it holds no event (e.g. an empty cue that clears the screen).
    public func decode(_ packet: Packet) throws(FFmpegError) -> SubtitleEvent? {
        var subtitle = AVSubtitle()
        var gotSubtitle: Int32 = 0
        try check(avcodec_decode_subtitle2(context, &subtitle, &gotSubtitle, packet.pointer), "decode a subtitle")
        guard gotSubtitle != 0 else { return nil }
        defer { avsubtitle_free(&subtitle) }
        let pts = packet.pts != noTimestamp ? packet.pts : packet.dts
        guard pts != noTimestamp else { return nil }
        let base = Double(pts) * timeBase.doubleValue
        let start = base + Double(subtitle.start_display_time) / 1000
        var end: Double? = subtitle.end_display_time > subtitle.start_display_time && subtitle.end_display_time != UInt32.max
            ? base + Double(subtitle.end_display_time) / 1000 : nil
        if end == nil, packet.duration > 0 { end = base + Double(packet.duration) * timeBase.doubleValue }
        var dialogue: [String] = []
        var isBitmap = false
        for index in 0..<Int(subtitle.num_rects) {
            guard let rect = subtitle.rects[index] else { continue }
            switch rect.pointee.type {
            case SUBTITLE_ASS: if let text = rect.pointee.ass { dialogue.append(String(cString: text)) }
            case SUBTITLE_TEXT: if let text = rect.pointee.text { dialogue.append(",,,,,,,," + String(cString: text)) }
            case SUBTITLE_BITMAP: isBitmap = true
            default: break
            }
        }
        return SubtitleEvent(start: start, end: end, dialogue: dialogue, isBitmap: isBitmap)
    }
}

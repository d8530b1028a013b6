import CFFmpeg

/// Settings for a video encoder, in FFmpeg's terms.
public struct VideoEncoderSettings: Sendable {
    /// FFmpeg encoder name, e.g. "libx264".
    public var encoderName: String
    public var width: Int
    public var height: Int
    public var frameRate: Rational
    public var bitRate: Int
    public var maxRate: Int
    public var bufferSize: Int
    /// Maximum distance between keyframes, in frames.
    public var keyframeInterval: Int
    /// Encoder threads; 0 lets the encoder decide.
    public var threads: Int
    public var color: ColorDescription
    /// Private encoder options, e.g. ["preset": "fast", "profile": "high", "x264-params": "scenecut=0"].
    public var options: [String: String]

    public init(encoderName: String, width: Int, height: Int, frameRate: Rational, bitRate: Int, maxRate: Int,
                bufferSize: Int, keyframeInterval: Int, threads: Int, color: ColorDescription, options: [String: String]) {
        self.encoderName = encoderName
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.bitRate = bitRate
        self.maxRate = maxRate
        self.bufferSize = bufferSize
        self.keyframeInterval = keyframeInterval
        self.threads = threads
        self.color = color
        self.options = options
    }
}

/// Settings for an audio encoder, in FFmpeg's terms.
public struct AudioEncoderSettings: Sendable {
    /// FFmpeg encoder name, e.g. "aac".
    public var encoderName: String
    public var sampleRate: Int
    public var channels: Int
    public var bitRate: Int

    public init(encoderName: String, sampleRate: Int, channels: Int, bitRate: Int) {
        self.encoderName = encoderName
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitRate = bitRate
    }
}

/// An open encoder (`AVCodecContext` for encoding) that turns frames into packets.
public final class Encoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    /// The time base of frames sent in and packets coming out.
    public let timeBase: Rational
    private var pending: Packet?

    /// Opens a video encoder. Frames sent to it must be `yuv420p` pictures of the configured size,
    /// with `pts` counted in frames.
    public init(video settings: VideoEncoderSettings) throws(FFmpegError) {
        let codec = try Encoder.find(settings.encoderName)
        var context: UnsafeMutablePointer<AVCodecContext>? = try allocated(avcodec_alloc_context3(codec), "allocate encoder \(settings.encoderName)")
        let timeBase = settings.frameRate.inverse
        do throws(FFmpegError) {
            let c = context!
            c.pointee.width = Int32(settings.width)
            c.pointee.height = Int32(settings.height)
            c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
            c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
            c.pointee.time_base = timeBase.av
            c.pointee.framerate = settings.frameRate.av
            c.pointee.bit_rate = Int64(settings.bitRate)
            c.pointee.rc_max_rate = Int64(settings.maxRate)
            c.pointee.rc_buffer_size = Int32(clamping: settings.bufferSize)
            c.pointee.gop_size = Int32(settings.keyframeInterval)
            c.pointee.keyint_min = Int32(settings.keyframeInterval)
            c.pointee.thread_count = Int32(settings.threads)
            c.pointee.color_range = settings.color.range
            c.pointee.color_primaries = settings.color.primaries
            c.pointee.color_trc = settings.color.transfer
            c.pointee.colorspace = settings.color.matrix
            // Fragmented MP4 needs the parameter sets in the init segment, not in-band only.
            c.pointee.flags |= strata_codec_flag_global_header()
            try Encoder.open(c, codec, settings.encoderName, options: settings.options)
        } catch {
            avcodec_free_context(&context)
            throw error
        }
        self.context = context!
        self.timeBase = timeBase
    }

    /// Opens an audio encoder. Frames sent to it must hold exactly `frameSize` samples of `fltp` audio
    /// at the configured rate and channel count, with `pts` counted in samples.
    public init(audio settings: AudioEncoderSettings) throws(FFmpegError) {
        let codec = try Encoder.find(settings.encoderName)
        var context: UnsafeMutablePointer<AVCodecContext>? = try allocated(avcodec_alloc_context3(codec), "allocate encoder \(settings.encoderName)")
        let timeBase = Rational(1, Int32(settings.sampleRate))
        do throws(FFmpegError) {
            let c = context!
            c.pointee.sample_rate = Int32(settings.sampleRate)
            c.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
            av_channel_layout_default(&c.pointee.ch_layout, Int32(settings.channels))
            c.pointee.bit_rate = Int64(settings.bitRate)
            c.pointee.time_base = timeBase.av
            c.pointee.flags |= strata_codec_flag_global_header()
            try Encoder.open(c, codec, settings.encoderName, options: [:])
        } catch {
            avcodec_free_context(&context)
            throw error
        }
        self.context = context!
        self.timeBase = timeBase
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    private static func find(_ name: String) throws(FFmpegError) -> UnsafePointer<AVCodec> {
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw FFmpegError(operation: "find encoder '\(name)'",
                              message: "this FFmpeg build has no such encoder (install one built with it)")
        }
        return codec
    }

    private static func open(_ context: UnsafeMutablePointer<AVCodecContext>, _ codec: UnsafePointer<AVCodec>,
                             _ name: String, options: [String: String]) throws(FFmpegError) {
        var dictionary: OpaquePointer? = nil
        defer { av_dict_free(&dictionary) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            av_dict_set(&dictionary, key, value, 0)
        }
        try check(avcodec_open2(context, codec, &dictionary), "open encoder \(name)")
        if let unused = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw FFmpegError(operation: "open encoder \(name)",
                              message: "it does not know the option '\(String(cString: unused.pointee.key))'")
        }
    }

    /// Codec-level header bytes (H.264 SPS/PPS, AAC AudioSpecificConfig), available once open.
    public var extradata: [UInt8] {
        guard let data = context.pointee.extradata, context.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(context.pointee.extradata_size)))
    }

    /// Samples per frame an audio encoder takes (1024 for AAC).
    public var frameSize: Int { Int(context.pointee.frame_size) }

    /// Samples of priming an audio encoder puts before the first real sample.
    public var initialPadding: Int { Int(context.pointee.initial_padding) }

    /// Frames by which a video encoder's decoding timestamps trail presentation (B-frame reordering delay).
    public var reorderDelay: Int { Int(context.pointee.has_b_frames) }

    /// Sends `frame` (nil at the end, to drain) and hands every packet that comes out to `body`.
    ///
    /// Each packet passed to `body` is new and belongs to it.
    public func encode(_ frame: Frame?, _ body: (Packet) throws -> Void) throws {
        var status = avcodec_send_frame(context, frame?.pointer)
        while status == .tryAgain {
            try drain(body)
            status = avcodec_send_frame(context, frame?.pointer)
        }
        if status != .endOfFile {
            try check(status, "encode a frame")
        }
        try drain(body)
    }

    private func drain(_ body: (Packet) throws -> Void) throws {
        while true {
            let packet = try pending ?? Packet()
            pending = nil
            let status = avcodec_receive_packet(context, packet.pointer)
            if status == .tryAgain || status == .endOfFile {
                pending = packet
                return
            }
            try check(status, "receive an encoded packet")
            try body(packet)
        }
    }
}

import CFFmpeg

/// Decodes one stream of an `InputFile` (`AVCodecContext` for decoding).
public final class Decoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    /// The time base of the stream's packets and of the frames this decoder returns.
    public let timeBase: Rational
    private var pending: Frame?

    /// Opens a decoder for the stream described by `parameters`.
    /// - Parameters:
    ///   - threads: decoder threads; 0 lets FFmpeg pick one per core.
    ///   - maxPixels: the largest picture the decoder may allocate (FFmpeg's `max_pixels`), for hostile input.
    ///   - preview: skip what a rough look does not need: pictures no other picture refers to (often every
    ///     other one, the non-reference B-frames) and the deblocking filter. For analysis passes, never for encoding.
    public init(parameters source: CodecParameters, threads: Int = 0, maxPixels: Int? = nil, preview: Bool = false) throws(FFmpegError) {
        context = try source.openDecoder { context in
            context.pointee.thread_count = Int32(threads)
            context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
            if let maxPixels { context.pointee.max_pixels = Int64(maxPixels) }
            if preview {
                context.pointee.skip_frame = AVDISCARD_NONREF
                context.pointee.skip_loop_filter = AVDISCARD_ALL
            }
        }
        timeBase = source.timeBase
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }

    /// Sends `packet` (nil at the end, to drain) and hands every frame that comes out to `body`.
    ///
    /// Each frame passed to `body` is new and belongs to it.
    public func decode(_ packet: Packet?, _ body: (Frame) throws -> Void) throws {
        var status = avcodec_send_packet(context, packet?.pointer)
        while status == .tryAgain {
            // The decoder's output is full: take frames out, then send again.
            try drain(body)
            status = avcodec_send_packet(context, packet?.pointer)
        }
        if status != .endOfFile {
            try check(status, "decode a packet")
        }
        try drain(body)
    }

    private func drain(_ body: (Frame) throws -> Void) throws {
        while true {
            let frame = try pending ?? Frame()
            pending = nil
            let status = avcodec_receive_frame(context, frame.pointer)
            if status == .tryAgain || status == .endOfFile {
                pending = frame
                return
            }
            try check(status, "decode a frame")
            try body(frame)
        }
    }

    /// Forgets every picture held for reference or reordering, after the input was moved (a seek).
    public func flush() {
        avcodec_flush_buffers(context)
    }
}

import CFFmpeg

/// An immutable copy of one stream's codec parameters (`AVCodecParameters`) and time base,
/// enough to open a decoder on another thread than the one demuxing.
public final class CodecParameters: @unchecked Sendable {
    // Never mutated after init, so sharing across threads is safe.
    let pointer: UnsafeMutablePointer<AVCodecParameters>
    let timeBase: Rational
    /// FFmpeg codec name, e.g. "aac".
    public let codecName: String
    /// The stream's index in its container.
    public let streamIndex: Int

    init(stream: UnsafeMutablePointer<AVStream>) throws(FFmpegError) {
        pointer = try allocated(avcodec_parameters_alloc(), "allocate codec parameters")
        let status = avcodec_parameters_copy(pointer, stream.pointee.codecpar)
        timeBase = Rational(stream.pointee.time_base)
        codecName = String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id))
        streamIndex = Int(stream.pointee.index)
        if status < 0 {
            var owned: UnsafeMutablePointer<AVCodecParameters>? = pointer
            avcodec_parameters_free(&owned)
            throw FFmpegError(code: status, operation: "copy codec parameters")
        }
    }

    /// The parameters of what `encoder` makes, for decoding its packets straight back.
    public init(encodedBy encoder: Encoder) throws(FFmpegError) {
        pointer = try allocated(avcodec_parameters_alloc(), "allocate codec parameters")
        let status = avcodec_parameters_from_context(pointer, encoder.context)
        timeBase = encoder.timeBase
        codecName = String(cString: avcodec_get_name(encoder.context.pointee.codec_id))
        streamIndex = 0
        if status < 0 {
            var owned: UnsafeMutablePointer<AVCodecParameters>? = pointer
            avcodec_parameters_free(&owned)
            throw FFmpegError(code: status, operation: "copy an encoder's parameters")
        }
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&owned)
    }
}

extension InputFile {
    /// The codec parameters of stream `index`, for opening a decoder elsewhere.
    public func codecParameters(stream index: Int) throws(FFmpegError) -> CodecParameters {
        try CodecParameters(stream: stream(index))
    }
}

extension CodecParameters {
    /// An open decoding context for this stream; `configure` sets options before it opens
    /// (threads, say). The caller owns the context and frees it with `avcodec_free_context`.
    func openDecoder(configure: (UnsafeMutablePointer<AVCodecContext>) -> Void = { _ in }) throws(FFmpegError) -> UnsafeMutablePointer<AVCodecContext> {
        guard let codec = avcodec_find_decoder(pointer.pointee.codec_id) else {
            throw FFmpegError(operation: "find a decoder for stream \(streamIndex)",
                              message: "this FFmpeg build has no decoder for codec '\(codecName)'")
        }
        var context: UnsafeMutablePointer<AVCodecContext>? = try allocated(avcodec_alloc_context3(codec), "allocate a \(codecName) decoder")
        do throws(FFmpegError) {
            try check(avcodec_parameters_to_context(context, pointer), "configure the \(codecName) decoder")
            context!.pointee.pkt_timebase = timeBase.av
            configure(context!)
            try check(avcodec_open2(context, codec, nil), "open the \(codecName) decoder")
        } catch {
            avcodec_free_context(&context)
            throw error
        }
        return context!
    }
}

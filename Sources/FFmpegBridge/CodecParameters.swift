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

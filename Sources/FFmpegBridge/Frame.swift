import CFFmpeg

/// One decoded picture or block of audio samples (`AVFrame`), owned by one pipeline stage at a time.
///
/// A frame handed to a queue belongs to whoever dequeues it; `clone()` gives each consumer its own
/// reference to the same (reference-counted, read-only) buffers.
public final class Frame: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// An empty frame, to be filled by a decoder, scaler or resampler.
    public init() throws(FFmpegError) {
        pointer = try allocated(av_frame_alloc(), "allocate a frame")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    /// A writable picture of the given size and format.
    public static func picture(width: Int, height: Int, format: PixelFormat) throws(FFmpegError) -> Frame {
        let frame = try Frame()
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = format.raw.rawValue
        try check(av_frame_get_buffer(frame.pointer, 0), "allocate a \(width)x\(height) \(format) picture")
        return frame
    }

    /// A writable block of `samples` planar float samples per channel.
    public static func audio(samples: Int, sampleRate: Int, channels: Int) throws(FFmpegError) -> Frame {
        let frame = try Frame()
        frame.pointer.pointee.nb_samples = Int32(samples)
        frame.pointer.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&frame.pointer.pointee.ch_layout, Int32(channels))
        try check(av_frame_get_buffer(frame.pointer, 0), "allocate \(samples) audio samples")
        return frame
    }

    /// A new reference to the same buffers, with the same properties.
    public func clone() throws(FFmpegError) -> Frame {
        let copy = try Frame()
        try check(av_frame_ref(copy.pointer, pointer), "reference a frame")
        return copy
    }

    /// Makes sure no one else holds this frame's buffers before it is written to, copying if needed.
    public func makeWritable() throws(FFmpegError) {
        try check(av_frame_make_writable(pointer), "make a frame writable")
    }

    /// Releases the buffers, keeping the frame object for reuse.
    public func reset() {
        av_frame_unref(pointer)
    }

    // MARK: Timing

    /// Presentation timestamp, in the time base of whoever produced or will consume the frame.
    public var pts: Int64 {
        get { pointer.pointee.pts }
        set { pointer.pointee.pts = newValue }
    }

    /// The decoder's best guess at the presentation time, or `noTimestamp`.
    public var bestEffortTimestamp: Int64 { pointer.pointee.best_effort_timestamp }

    /// Duration of the packet this frame came from, or 0 when unknown.
    public var packetDuration: Int64 { pointer.pointee.pkt_duration }

    // MARK: Pictures

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    public var pixelFormat: PixelFormat { PixelFormat(AVPixelFormat(rawValue: pointer.pointee.format)) }

    /// The sample aspect ratio, or 0/1 when unknown.
    public var sampleAspectRatio: Rational { Rational(pointer.pointee.sample_aspect_ratio) }

    /// Colour range, primaries, transfer and matrix.
    public var colorDescription: ColorDescription {
        get {
            ColorDescription(range: pointer.pointee.color_range, primaries: pointer.pointee.color_primaries,
                             transfer: pointer.pointee.color_trc, matrix: pointer.pointee.colorspace)
        }
        set {
            pointer.pointee.color_range = newValue.range
            pointer.pointee.color_primaries = newValue.primaries
            pointer.pointee.color_trc = newValue.transfer
            pointer.pointee.colorspace = newValue.matrix
        }
    }

    /// Asks the encoder to make this picture a keyframe (an IDR frame with `forced-idr`), or leaves the choice to it.
    public var forcesKeyframe: Bool {
        get { pointer.pointee.pict_type == AV_PICTURE_TYPE_I }
        set { pointer.pointee.pict_type = newValue ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE }
    }

    // MARK: Audio

    /// Number of audio samples per channel.
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    public var channelCount: Int { Int(pointer.pointee.ch_layout.nb_channels) }
}

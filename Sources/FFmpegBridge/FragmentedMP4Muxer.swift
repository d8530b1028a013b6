import CFFmpeg

/// Writes one encoder's packets as fragmented MP4 (libavformat's mp4 muxer) to a byte sink.
///
/// The muxer never touches the file system: every byte goes to `sink`, in order. The header
/// (`ftyp` + `moov`, the CMAF init segment) is complete after `writeHeader()`; each call to
/// `flushFragment()` then emits exactly one `moof` + `mdat` pair holding the packets written since.
/// Timestamps are kept as given (no shifting to zero, no edit list): the caller owns the timeline.
public final class FragmentedMP4Muxer {
    private let context: UnsafeMutablePointer<AVFormatContext>
    private let stream: UnsafeMutablePointer<AVStream>
    private let output: ByteOutput
    private let encoderTimeBase: Rational
    private var headerWritten = false
    private var pendingPackets = 0
    /// The track's time base (1/timescale), chosen by the muxer; valid after `writeHeader()`.
    public private(set) var timeBase: Rational

    /// Prepares a single-track muxer for the packets of `encoder`.
    public init(encoder: Encoder, sink: @escaping ([UInt8]) throws -> Void) throws(FFmpegError) {
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&context, nil, "mp4", nil), "set up the mp4 muxer")
        guard let context else { throw FFmpegError(operation: "set up the mp4 muxer", message: "no context") }
        output = ByteOutput(sink: sink)
        do throws(FFmpegError) {
            guard let stream = avformat_new_stream(context, nil) else {
                throw FFmpegError(operation: "add a track to the mp4 muxer", message: "out of memory")
            }
            self.stream = stream
            try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), "describe the track")
            stream.pointee.time_base = encoder.timeBase.av
            stream.pointee.codecpar.pointee.codec_tag = FragmentedMP4Muxer.sampleEntryTag(encoder.context.pointee.codec_id)
            let bufferSize: Int32 = 64 * 1024
            let buffer = try allocated(av_malloc(Int(bufferSize)), "allocate the muxer's buffer")
            let opaque = Unmanaged.passUnretained(output).toOpaque()
            guard let io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), bufferSize, 1, opaque, nil, writeToSink, nil) else {
                av_free(buffer)
                throw FFmpegError(operation: "set up the muxer's output", message: "out of memory")
            }
            context.pointee.pb = io
            context.pointee.flags |= strata_avfmt_flag_custom_io()
        } catch {
            avformat_free_context(context)
            throw error
        }
        self.context = context
        self.encoderTimeBase = encoder.timeBase
        self.timeBase = encoder.timeBase
    }

    deinit {
        if let io = context.pointee.pb {
            av_freep(&io.pointee.buffer)
            var optional: UnsafeMutablePointer<AVIOContext>? = io
            avio_context_free(&optional)
            context.pointee.pb = nil
        }
        avformat_free_context(context)
    }

    /// Writes `ftyp` and `moov` (the init segment).
    /// - Parameter firstFragment: the sequence number (`mfhd`) of the first fragment: 1 for a whole track, more for
    ///   a part of a track whose earlier fragments another muxer wrote, so the numbers run on across the parts.
    public func writeHeader(firstFragment: Int = 1) throws(FFmpegError) {
        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        // frag_custom: fragments are cut only when we say; empty_moov: the moov has no samples (CMAF header);
        // default_base_moof: offsets relative to each moof (CMAF); frag_discont + use_editlist=0: tfdt carries
        // our absolute decode times instead of being rebased to zero; skip_trailer: no mfra at the end.
        // Not `cmaf`: it also turns on negative composition offsets (trun version 1), which FFmpeg's own mp4
        // reader turns into a two-frame A/V offset; StrataMedia adds the CMAF brand and fields itself.
        av_dict_set(&options, "movflags", "frag_custom+empty_moov+default_base_moof+frag_discont+skip_trailer", 0)
        // No edit list, deliberately. Every track's timestamps already sit on one presentation timeline that
        // starts at a common positive time, and the manifests say where presentation zero is (DASH
        // presentationTimeOffset; HLS players align tracks by timestamp). An `elst` that trims B-frame delay
        // and AAC priming is honoured by some players (ffmpeg, Chromium's own parser) and ignored by MSE
        // players that rebuild segments themselves (hls.js, VHS), so A/V sync would differ from player to
        // player; without one, all agree. The cost: a player that ignores presentationTimeOffset (and every
        // HLS player) plays the 1024 priming samples (21 ms at 48 kHz) just before the first video frame.
        av_dict_set(&options, "use_editlist", "0", 0)
        av_dict_set(&options, "avoid_negative_ts", "disabled", 0)
        av_dict_set(&options, "write_btrt", "1", 0)
        av_dict_set_int(&options, "fragment_index", Int64(max(1, firstFragment)), 0)
        try output.rethrow(avformat_write_header(context, &options), "write the init segment")
        avio_flush(context.pointee.pb)
        try output.rethrow(0, "write the init segment")
        timeBase = Rational(stream.pointee.time_base)
        headerWritten = true
    }

    /// Adds a packet (timestamps in the encoder's time base) to the current fragment.
    public func write(_ packet: Packet) throws(FFmpegError) {
        packet.rescaleTimestamps(from: encoderTimeBase, to: timeBase)
        packet.pointer.pointee.stream_index = stream.pointee.index
        try output.rethrow(av_write_frame(context, packet.pointer), "write a packet")
        pendingPackets += 1
    }

    /// Closes the current fragment, emitting its `moof` + `mdat`. Does nothing when no packet is pending.
    public func flushFragment() throws(FFmpegError) {
        guard pendingPackets > 0 else { return }
        try output.rethrow(av_write_frame(context, nil), "write a fragment")
        avio_flush(context.pointee.pb)
        try output.rethrow(0, "write a fragment")
        pendingPackets = 0
    }

    /// Flushes the last fragment and finishes the file.
    public func finish() throws(FFmpegError) {
        try flushFragment()
        guard headerWritten else { return }
        try output.rethrow(av_write_trailer(context), "finish the track")
        avio_flush(context.pointee.pb)
        try output.rethrow(0, "finish the track")
    }
}

/// Receives bytes from libavformat's I/O layer and passes them to the Swift sink, remembering a failure.
private final class ByteOutput {
    let sink: ([UInt8]) throws -> Void
    var failure: Error?

    init(sink: @escaping ([UInt8]) throws -> Void) { self.sink = sink }

    /// Throws the sink's own error if it failed, else an FFmpeg error for a negative `code`.
    func rethrow(_ code: Int32, _ operation: String) throws(FFmpegError) {
        if let failure {
            self.failure = nil
            throw FFmpegError(operation: operation, message: "\(failure)")
        }
        try check(code, operation)
    }
}

private let writeToSink: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = { opaque, buffer, size in
    guard let opaque, let buffer, size > 0 else { return 0 }
    let output = Unmanaged<ByteOutput>.fromOpaque(opaque).takeUnretainedValue()
    if output.failure != nil { return strata_averror(EIO) }
    do {
        try output.sink(Array(UnsafeBufferPointer(start: buffer, count: Int(size))))
        return size
    } catch {
        output.failure = error
        return strata_averror(EIO)
    }
}

extension FragmentedMP4Muxer {
    /// The sample entry type: `hvc1` for HEVC (parameter sets only in the sample entry; Apple's HLS authoring
    /// spec 1.10 rejects `hev1`), otherwise the mp4 muxer's default (`avc1`, `av01`, `mp4a`).
    static func sampleEntryTag(_ codec: AVCodecID) -> UInt32 {
        guard codec == AV_CODEC_ID_HEVC else { return 0 }
        return "hvc1".utf8.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}

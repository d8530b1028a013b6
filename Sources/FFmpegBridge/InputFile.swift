import CFFmpeg

/// An opened media file being demuxed (`AVFormatContext` for input).
public final class InputFile {
    let context: UnsafeMutablePointer<AVFormatContext>
    /// The path this file was opened from.
    public let path: String
    /// Container and stream facts, read once at open.
    public let info: ContainerInfo

    /// Where the bytes come from when they are not a file; freed after the format context.
    private let memory: MemoryInput?

    /// Opens `path` and reads enough of it to know its streams.
    public convenience init(path: String) throws(FFmpegError) {
        try self.init(opening: path, memory: nil, maxPixels: nil)
    }

    /// Opens `path`, or reads `memory` when given (then `path` only names it in errors).
    /// - Parameter maxPixels: the largest picture the stream-probing decoders may allocate.
    init(opening path: String, memory: MemoryInput?, maxPixels: Int?) throws(FFmpegError) {
        self.path = path
        self.memory = memory
        var context: UnsafeMutablePointer<AVFormatContext>? = try allocated(avformat_alloc_context(), "allocate a format context")
        if let memory {
            context!.pointee.pb = memory.io
            context!.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        }
        // On failure avformat_open_input frees the context (but never a custom pb).
        try check(avformat_open_input(&context, memory == nil ? path : nil, nil, nil), "open '\(path)'")
        guard let opened = context else { throw FFmpegError(operation: "open '\(path)'", message: "no format context") }
        let status = InputFile.findStreamInfo(opened, maxPixels: maxPixels)
        if status < 0 {
            avformat_close_input(&context)
            throw FFmpegError(code: status, operation: "read stream information from '\(path)'")
        }
        self.context = opened
        let streams = (0..<Int(opened.pointee.nb_streams)).map { StreamInfo(stream: opened.pointee.streams[$0]!) }
        let duration = opened.pointee.duration
        let start = opened.pointee.start_time
        self.info = ContainerInfo(
            formatName: opened.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown",
            duration: duration == noTimestamp || duration <= 0 ? nil : Double(duration) / Double(AV_TIME_BASE),
            startTime: start == noTimestamp ? nil : Double(start) / Double(AV_TIME_BASE),
            bitRate: opened.pointee.bit_rate > 0 ? Int(opened.pointee.bit_rate) : nil,
            streams: streams
        )
    }

    /// `avformat_find_stream_info`, with `max_pixels` set on the decoders it opens for each stream.
    private static func findStreamInfo(_ context: UnsafeMutablePointer<AVFormatContext>, maxPixels: Int?) -> Int32 {
        let count = Int(context.pointee.nb_streams)
        guard let maxPixels, count > 0 else { return avformat_find_stream_info(context, nil) }
        let options = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: count)
        options.initialize(repeating: nil, count: count)
        defer {
            for index in 0..<count { av_dict_free(&options[index]) }
            options.deallocate()
        }
        for index in 0..<count { av_dict_set_int(&options[index], "max_pixels", Int64(maxPixels), 0) }
        return avformat_find_stream_info(context, options)
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&context)
    }

    /// Tells the demuxer to skip every stream not in `indices`, so it does not read their packets.
    public func selectStreams(_ indices: Set<Int>) {
        for index in 0..<Int(context.pointee.nb_streams) {
            context.pointee.streams[index]!.pointee.discard = indices.contains(index) ? AVDISCARD_DEFAULT : AVDISCARD_ALL
        }
    }

    /// Reads the next packet into `packet`; returns false at the end of the file.
    public func read(into packet: Packet) throws(FFmpegError) -> Bool {
        packet.reset()
        let status = av_read_frame(context, packet.pointer)
        if status == .endOfFile { return false }
        try check(status, "read a packet from '\(path)'")
        return true
    }

    /// Moves reading to the last keyframe of stream `index` at or before `seconds` (in the stream's own clock),
    /// so decoding a part of the file starts from a picture that needs no earlier one.
    /// Returns false when the container cannot seek there (reading then continues from where it was).
    public func seek(stream index: Int, toSeconds seconds: Double) -> Bool {
        let timeBase = Rational(stream(index).pointee.time_base)
        guard timeBase.numerator > 0, timeBase.denominator > 0 else { return false }
        let timestamp = Int64((seconds / timeBase.doubleValue).rounded(.down))
        return av_seek_frame(context, Int32(index), timestamp, AVSEEK_FLAG_BACKWARD) >= 0
    }

    /// True when reading stopped because the underlying file could not deliver more bytes.
    public var hadInputError: Bool {
        guard let io = context.pointee.pb else { return false }
        return io.pointee.error < 0 && io.pointee.error != .endOfFile
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }
}

import CFFmpeg

/// One compressed packet (`AVPacket`), owned by one pipeline stage at a time.
///
/// Packets move between threads through bounded queues; whoever dequeues a packet owns it.
public final class Packet: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVPacket>

    /// An empty packet.
    public init() throws(FFmpegError) {
        pointer = try allocated(av_packet_alloc(), "allocate a packet")
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    /// Index of the stream this packet belongs to, in its container.
    public var streamIndex: Int { Int(pointer.pointee.stream_index) }

    /// Presentation timestamp in the time base of its stream or codec.
    public var pts: Int64 {
        get { pointer.pointee.pts }
        set { pointer.pointee.pts = newValue }
    }

    /// Decoding timestamp in the time base of its stream or codec.
    public var dts: Int64 {
        get { pointer.pointee.dts }
        set { pointer.pointee.dts = newValue }
    }

    /// Duration in the time base of its stream or codec.
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }

    /// Payload size in bytes.
    public var size: Int { Int(pointer.pointee.size) }

    /// True for a packet that starts a random access point (an IDR frame for H.264).
    public var isKeyframe: Bool { pointer.pointee.flags & strata_pkt_flag_key() != 0 }

    /// A copy of the payload bytes.
    public var bytes: [UInt8] {
        guard let data = pointer.pointee.data, pointer.pointee.size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(pointer.pointee.size)))
    }

    /// Shifts both timestamps by `offset` ticks.
    public func shiftTimestamps(by offset: Int64) {
        if pointer.pointee.pts != noTimestamp { pointer.pointee.pts += offset }
        if pointer.pointee.dts != noTimestamp { pointer.pointee.dts += offset }
    }

    /// Converts timestamps and duration from one time base to another.
    public func rescaleTimestamps(from source: Rational, to destination: Rational) {
        av_packet_rescale_ts(pointer, source.av, destination.av)
    }

    /// Drops the payload, keeping the packet object for reuse.
    public func reset() {
        av_packet_unref(pointer)
    }
}

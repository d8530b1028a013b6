import CFFmpeg

/// A growing queue of planar float audio samples (`AVAudioFifo`), cut into encoder-sized frames.
public final class SampleFIFO {
    private let fifo: OpaquePointer
    public let sampleRate: Int
    public let channels: Int

    public init(sampleRate: Int, channels: Int) throws(FFmpegError) {
        self.sampleRate = sampleRate
        self.channels = channels
        fifo = try allocated(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, Int32(channels), Int32(sampleRate)), "allocate an audio buffer")
    }

    deinit {
        av_audio_fifo_free(fifo)
    }

    /// Samples per channel waiting.
    public var count: Int { Int(av_audio_fifo_size(fifo)) }

    /// Appends every sample of `frame`, which must match this FIFO's format.
    public func append(_ frame: Frame) throws(FFmpegError) {
        let written = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: channels) {
            av_audio_fifo_write(fifo, $0, frame.pointer.pointee.nb_samples)
        }
        try check(written, "buffer audio samples")
    }

    /// Appends `count` samples of silence.
    public func appendSilence(_ count: Int) throws(FFmpegError) {
        guard count > 0 else { return }
        let frame = try Frame.audio(samples: count, sampleRate: sampleRate, channels: channels)
        try check(av_samples_set_silence(frame.pointer.pointee.extended_data, 0, Int32(count), Int32(channels), AV_SAMPLE_FMT_FLTP),
                  "write silence")
        try append(frame)
    }

    /// Throws away the oldest `count` samples.
    public func drop(_ count: Int) {
        guard count > 0 else { return }
        av_audio_fifo_drain(fifo, Int32(min(count, self.count)))
    }

    /// Removes up to `count` samples and returns them as a frame, padded with silence to exactly `count`.
    public func take(_ count: Int) throws(FFmpegError) -> Frame {
        let frame = try Frame.audio(samples: count, sampleRate: sampleRate, channels: channels)
        let available = min(count, self.count)
        let read = frame.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: channels) {
            av_audio_fifo_read(fifo, $0, Int32(available))
        }
        try check(read, "read buffered audio")
        if Int(read) < count {
            av_samples_set_silence(frame.pointer.pointee.extended_data, read, Int32(count) - read, Int32(channels), AV_SAMPLE_FMT_FLTP)
        }
        return frame
    }
}

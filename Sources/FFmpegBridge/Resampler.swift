import CFFmpeg

/// Converts decoded audio to planar float at a fixed rate and channel count (`SwrContext`).
public final class Resampler {
    private var context: OpaquePointer?
    private var inputKey: (rate: Int, channels: Int, format: Int32)?
    public let outputRate: Int
    public let outputChannels: Int

    public init(outputRate: Int, outputChannels: Int) {
        self.outputRate = outputRate
        self.outputChannels = outputChannels
    }

    deinit {
        swr_free(&context)
    }

    /// Converts `source` (nil to flush what the resampler holds back) and appends the result to `fifo`.
    public func convert(_ source: Frame?, into fifo: SampleFIFO) throws(FFmpegError) {
        if let source {
            let key = (source.sampleRate, source.channelCount, source.pointer.pointee.format)
            if inputKey == nil || inputKey! != key { try prepare(for: source) }
        } else if context == nil {
            return
        }
        let inputSamples = source?.sampleCount ?? 0
        let capacity = Int(swr_get_out_samples(context, Int32(inputSamples))) + 32
        guard capacity > 0 else { return }
        let output = try Frame.audio(samples: capacity, sampleRate: outputRate, channels: outputChannels)
        let converted = output.pointer.pointee.extended_data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: outputChannels) { out in
            if let source {
                return source.pointer.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: source.channelCount) { input in
                    swr_convert(context, out, Int32(capacity), input, Int32(inputSamples))
                }
            }
            return swr_convert(context, out, Int32(capacity), nil, 0)
        }
        try check(converted, "resample audio")
        output.pointer.pointee.nb_samples = converted
        if converted > 0 { try fifo.append(output) }
    }

    private func prepare(for source: Frame) throws(FFmpegError) {
        swr_free(&context)
        var outputLayout = AVChannelLayout()
        av_channel_layout_default(&outputLayout, Int32(outputChannels))
        defer { av_channel_layout_uninit(&outputLayout) }
        var inputLayout = source.pointer.pointee.ch_layout
        if inputLayout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&inputLayout, inputLayout.nb_channels)
        }
        try check(swr_alloc_set_opts2(&context, &outputLayout, AV_SAMPLE_FMT_FLTP, Int32(outputRate),
                                      &inputLayout, AVSampleFormat(rawValue: source.pointer.pointee.format),
                                      source.pointer.pointee.sample_rate, 0, nil),
                  "set up resampling")
        try check(swr_init(context), "set up resampling from \(source.sampleRate) Hz, \(source.channelCount) channels")
        inputKey = (source.sampleRate, source.channelCount, source.pointer.pointee.format)
    }
}

import FFmpegBridge
import StrataProfiles

/// Turns a planned rendition into encoder settings (libx264, libx265 or libsvtav1), the same ones the benchmark gives the ffmpeg CLI.
enum VideoEncoderFactory {
    static func settings(for rendition: PlannedRendition, frameRate: Rational, schedule: KeyframeSchedule,
                         color: ColorDescription, threads: Int) -> VideoEncoderSettings {
        let spec = rendition.spec
        let codec = VideoCodecOptions(spec: spec, keyframeInterval: schedule.maxKeyframeDistance,
                                      width: rendition.width, height: rendition.height, frameRate: frameRate.doubleValue)
        var options = codec.options
        var (averageRate, maxRate, bufferSize) = (spec.bitrate, spec.maxrate, spec.bufsize)
        // Per-title CRF values are on x264's scale, so only H.264 rungs take them; HEVC and AV1 keep their ladder rates.
        if spec.codec == .h264, let rate = rendition.rateControl, rate.mode == .cappedQuality, let crf = rate.crf {
            // Per-title: constant quality under the VBV ceiling the plan derived from the rung.
            options["crf"] = String(crf)
            (averageRate, maxRate, bufferSize) = (0, rate.maxrate, rate.bufsize)
        }
        return VideoEncoderSettings(
            encoderName: codec.encoderName, width: rendition.width, height: rendition.height, frameRate: frameRate,
            bitRate: averageRate, maxRate: maxRate, bufferSize: bufferSize,
            keyframeInterval: schedule.maxKeyframeDistance, threads: threads, color: color.limitedRange, options: options)
    }

    /// Opens the encoder `settings` describe; a failure names `purpose` (e.g. "rendition 720p").
    static func open(_ settings: VideoEncoderSettings, for purpose: String) throws(TranscodeError) -> Encoder {
        do {
            return try Encoder(video: settings)
        } catch {
            throw TranscodeError(.encoding, "cannot open \(settings.encoderName) for \(purpose): \(error.message)")
        }
    }
}

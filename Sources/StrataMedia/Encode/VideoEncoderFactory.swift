import FFmpegBridge
import StrataProfiles

/// Turns a planned rendition into encoder settings (libx264, libx265 or libsvtav1), the same ones the benchmark gives the ffmpeg CLI.
enum VideoEncoderFactory {
    static func settings(for rendition: PlannedRendition, frameRate: Rational, schedule: KeyframeSchedule,
                         color: ColorDescription, threads: Int) -> VideoEncoderSettings {
        let spec = rendition.spec
        let codec = VideoCodecOptions(spec: spec, keyframeInterval: schedule.maxKeyframeDistance,
                                      width: rendition.width, height: rendition.height, frameRate: frameRate.doubleValue)
        let options = codec.options
        return VideoEncoderSettings(
            encoderName: codec.encoderName, width: rendition.width, height: rendition.height, frameRate: frameRate,
            bitRate: spec.bitrate, maxRate: spec.maxrate, bufferSize: spec.bufsize,
            keyframeInterval: schedule.maxKeyframeDistance, threads: threads, color: color.limitedRange, options: options)
    }
}

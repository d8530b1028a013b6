import FFmpegBridge
import StrataProfiles

/// Turns a planned rendition into libx264 settings, the same ones the benchmark gives the ffmpeg CLI.
enum VideoEncoderFactory {
    static func settings(for rendition: PlannedRendition, frameRate: Rational, schedule: KeyframeSchedule,
                         color: ColorDescription, threads: Int) -> VideoEncoderSettings {
        let spec = rendition.spec
        var options = [
            "preset": spec.preset,
            "profile": spec.profile,
            // Keyframes come only from the schedule: no scene-cut IDRs that would break alignment across
            // rungs, closed GOPs, and a forced keyframe is a real IDR.
            "x264-params": "scenecut=0:open-gop=0",
            "forced-idr": "1",
        ]
        if let level = spec.level { options["level"] = level }
        var (averageRate, maxRate, bufferSize) = (spec.bitrate, spec.maxrate, spec.bufsize)
        if let rate = rendition.rateControl, rate.mode == .cappedQuality, let crf = rate.crf {
            // Per-title: constant quality under the VBV ceiling the plan derived from the rung.
            options["crf"] = String(crf)
            (averageRate, maxRate, bufferSize) = (0, rate.maxrate, rate.bufsize)
        }
        return VideoEncoderSettings(
            encoderName: "libx264", width: rendition.width, height: rendition.height, frameRate: frameRate,
            bitRate: averageRate, maxRate: maxRate, bufferSize: bufferSize,
            keyframeInterval: schedule.maxKeyframeDistance, threads: threads, color: color.limitedRange, options: options)
    }
}

import FFmpegBridge
import Foundation
import Logging
import StrataProfiles

/// Measures how hard a master is to encode: constant-quality probe encodes at the ladder's smallest size.
///
/// Whole GOPs are sampled evenly at the plan's frame rate (every GOP for masters up to `wholeMasterGOPs` long,
/// decoded in one pass; otherwise a seek and a short decode per GOP, `GOPSampling`), scaled to the smallest rung and encoded with libx264 at the target CRF and
/// the rungs' own settings, each sampled GOP starting with an IDR as in the package. Only packet sizes are
/// kept: the probe's bit rate, scaled by `PerTitleLadder`, predicts every rung's.
enum ComplexityProbe {
    /// Masters up to this many GOPs are probed whole; longer ones in this many evenly spread GOPs.
    static let wholeMasterGOPs = 16

    static func measure(masterPath: String, masterSeconds: Double, plan: LadderPlan, profile: EncodingProfile,
                        crf: Double, threads: Int, logger: Logger) throws -> ComplexityMeasurement {
        guard let smallest = plan.renditions.min(by: { $0.width * $0.height < $1.width * $1.height }) else {
            throw TranscodeError(.encoding, "the ladder has no rendition to analyse")
        }
        let schedule = KeyframeSchedule(frameRate: plan.frameRate, gopSeconds: profile.gopSeconds, gopsPerSegment: profile.gopsPerSegment)
        let sampling = GOPSampling(masterSeconds: masterSeconds, frameRate: plan.frameRate.doubleValue,
                                   gopFrames: schedule.maxKeyframeDistance, maximumGOPs: wholeMasterGOPs)

        var settings = VideoEncoderFactory.settings(for: smallest, frameRate: plan.frameRate, schedule: schedule,
                                                    color: ColorDescription.unspecified, threads: threads)
        // Uncapped constant quality: what the target costs for this content.
        settings.bitRate = 0
        settings.maxRate = 0
        settings.bufferSize = 0
        settings.options["crf"] = String(crf)
        let encoder = try VideoEncoderFactory.open(settings, for: "the complexity probe")
        let picture = try RenditionPicture(width: smallest.width, height: smallest.height, rotation: plan.rotation, filter: .bilinear)
        var bytes = 0
        var encoded: Int64 = 0
        try MasterFrameReader.forEach(masterPath: masterPath, frameRate: plan.frameRate, sampling: sampling, logger: logger) { item in
            let output = try picture.make(from: item.frame)
            output.pts = encoded
            output.forcesKeyframe = sampling.startsGOP(item.number)
            try encoder.encode(output) { bytes += $0.size }
            encoded += 1
        }
        try encoder.encode(nil) { bytes += $0.size }
        guard encoded > 0 else { throw TranscodeError(.truncated, "the master has no pictures to analyse") }
        let seconds = Double(encoded) / plan.frameRate.doubleValue
        let measurement = ComplexityMeasurement(
            width: smallest.width, height: smallest.height, bitRate: Double(bytes * 8) / seconds, analysedSeconds: seconds,
            masterSeconds: masterSeconds, frameRate: plan.frameRate.doubleValue)
        logger.info("measured the master's complexity", metadata: [
            "probe": "\(smallest.width)x\(smallest.height) CRF \(crf)", "seconds": "\(seconds)",
            "bitrate": "\(Int(measurement.bitRate))"])
        return measurement
    }
}

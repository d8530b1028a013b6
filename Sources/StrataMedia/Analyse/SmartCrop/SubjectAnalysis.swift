import FFmpegBridge
import Foundation
import Logging

/// The smart-crop analysis pass: decodes the master once at the plan's constant frame rate, shrinks every
/// picture to a small luma copy and measures its saliency. Run before the transcode, so each crop's camera
/// path can look ahead over whole shots.
enum SubjectAnalysis {
    /// Width of the luma copies analysed; the height follows the picture's shape.
    static let analysisWidth = 128

    /// What the pass found, with what it cost.
    struct Result: Sendable {
        var saliency: [FrameSaliency]
        /// Wall time of the pass, for the logs and the cost benchmark.
        var seconds: Double
    }

    static func run(masterPath: String, plan: LadderPlan, logger: Logger) throws -> Result {
        let started = Date()
        // Analysed upright, in the master's displayed proportions (square pixels).
        let height = max(8, Int((Double(analysisWidth) * Double(plan.displayHeight) / Double(plan.displayWidth)).rounded()) & ~1)
        // Only the luma plane is scaled: chroma is never looked at.
        let picture = try RenditionPicture(width: analysisWidth, height: height, rotation: plan.rotation, filter: .bilinear, output: .luma)
        var measure = SaliencyMeasure()
        var saliency: [FrameSaliency] = []
        // A preview decode (reference pictures only) halves the cost on masters with B-frames; motion is then
        // seen between reference pictures, and a repeated picture's missing motion is held by `SubjectTrack`.
        // An HDR master is not tone-mapped: motion and detail centres show as well in its own luma code values.
        try MasterFrameReader.forEach(masterPath: masterPath, frameRate: plan.frameRate, logger: logger, preview: true,
                                      toneMapped: false) { item in
            let small = try picture.make(from: item.frame)
            let luma = LumaPicture(width: small.width, height: small.height, samples: Array(small.plane(0).joined()))
            let measured = measure.measure(luma)
            // Frame numbers are dense from 0; a repeat of the previous picture fills any gap.
            while saliency.count < item.number { saliency.append(saliency.last ?? measured) }
            saliency.append(measured)
        }
        let result = Result(saliency: saliency, seconds: Date().timeIntervalSince(started))
        logger.info("analysed the master for smart crop", metadata: [
            "frames": "\(saliency.count)", "size": "\(analysisWidth)x\(height)",
            "seconds": "\(String(format: "%.2f", result.seconds))"])
        return result
    }
}

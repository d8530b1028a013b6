import Foundation
import StrataManifest
import StrataProfiles

/// Per-title decisions that keep each rung's measured quality: the fixed ladder's PSNR, less at most the
/// profile's allowance, for as few bits as capped constant quality needs to reach it.
extension PerTitleLadder {
    /// The share of the allowed PSNR loss each rung aims at; the rest absorbs the difference between the
    /// probe and the package's encode: small when the probe encoded the whole master (threaded x264 differs a
    /// little from run to run), larger when it saw sampled stretches only.
    static let aimedShareOfLoss = (wholeMaster: 0.7, sampled: 0.5)
    /// A rung whose matching encode would save less than this share of the fixed encode's bits keeps the
    /// profile's rate: so small a gain is within what the prediction can miss by.
    static let minimumSaving = 0.05

    /// The PSNR a rung aims at: its fixed encode's, less the aimed share of the allowed loss.
    static func aim(_ curve: RungQualityCurve, loss: Double, probedWhole: Bool) -> Double {
        curve.fixed.psnr - (probedWhole ? aimedShareOfLoss.wholeMaster : aimedShareOfLoss.sampled) * loss
    }

    /// `plan` with each analysed rung at the CRF its curve predicts for its `aim`,
    /// capped by the rung's VBV ceiling; rungs without a curve (not H.264) keep the profile's rate.
    static func apply(to plan: LadderPlan, maximumPSNRLoss loss: Double, spacing: Double, curves: [String: RungQualityCurve],
                      analysedSeconds: Double, masterSeconds: Double, segmentSeconds: Double) -> LadderPlan {
        let decided = plan.renditions.map { rendition in
            var rendition = rendition
            rendition.rateControl = decision(for: rendition.spec, curve: curves[rendition.spec.name], loss: loss,
                                             probedWhole: analysedSeconds >= masterSeconds - 0.5, segmentSeconds: segmentSeconds)
            return rendition
        }
        var result = plan
        let spaced = keepSpaced(decided, spacing: spacing)
        result.renditions = spaced.kept
        var topBitsPerPixel = 0.0
        if let top = decided.first, let decision = top.rateControl {
            let picturesPerSecond = Double(top.width * top.height) * plan.frameRate.doubleValue
            topBitsPerPixel = Double(expectedRate(decision)) / picturesPerSecond
        }
        result.perTitle = PerTitleFacts(
            maximumPSNRLoss: loss,
            probeSize: plan.renditions.filter { curves[$0.spec.name] != nil }.map { "\($0.width)x\($0.height)" }.joined(separator: ", "),
            analysedSeconds: rounded(analysedSeconds, 100), masterSeconds: rounded(masterSeconds, 100),
            probeBitsPerPixel: rounded(topBitsPerPixel, 10_000), droppedRenditions: spaced.dropped)
        return result
    }

    static func decision(for spec: RenditionSpec, curve: RungQualityCurve?, loss: Double, probedWhole: Bool,
                         segmentSeconds: Double) -> RateControlFacts {
        /// The fixed ladder's settings for this rung, and why.
        func profileRate(_ reason: String, expected: Int, fixedPSNR: Double? = nil) -> RateControlFacts {
            RateControlFacts(mode: .profileBitRate, crf: nil, predictedBitRate: expected, profileBitRate: spec.bitrate,
                             maxrate: spec.maxrate, bufsize: spec.bufsize, reason: "\(reason): the profile's rate is kept",
                             fixedPSNR: fixedPSNR, predictedPSNR: fixedPSNR)
        }
        guard let curve else {
            return profileRate("only H.264 rungs are analysed", expected: spec.bitrate)
        }
        let fixedRate = Int(curve.fixed.bitRate.rounded())
        let fixedPSNR = rounded(curve.fixed.psnr, 100)
        let fixed = "the profile's \(kilobits(spec.bitrate)) gives \(format(fixedPSNR)) dB"
        let aimed = aim(curve, loss: loss, probedWhole: probedWhole)
        guard let crf = curve.crf(forPSNR: aimed), let predicted = curve.predicted(atCRF: crf) else {
            return profileRate("no constant-quality probe was measured", expected: fixedRate, fixedPSNR: fixedPSNR)
        }
        // Only a measured point says the aim can be reached: at low CRFs the VBV ceiling (or x264's own floor on
        // still pictures) stops PSNR rising, and extending the slope there would promise what no CRF gives.
        guard let best = curve.points.max(by: { $0.psnr < $1.psnr }), best.psnr >= aimed else {
            let best = curve.points.max { $0.psnr < $1.psnr }
            return profileRate("\(fixed); the best capped CRF probed (\(best?.crf.map(format) ?? "-")) gave \(format(rounded(best?.psnr ?? 0, 100))) dB",
                               expected: fixedRate, fixedPSNR: fixedPSNR)
        }
        if let slope = curve.slope(around: aimed), slope < RungQualityCurve.plausibleSlopes.lowerBound {
            return profileRate("\(fixed); near it the PSNR barely moves with the CRF (\(format(rounded(slope, 100))) dB per step: the VBV ceiling holds the encoder), so no CRF can be trusted to match it",
                               expected: fixedRate, fixedPSNR: fixedPSNR)
        }
        let predictedRate = Int(predicted.bitRate.rounded())
        let predictedPSNR = rounded(predicted.psnr, 100)
        let matching = "\(fixed) at about \(kilobits(fixedRate)); " +
            "CRF \(format(crf)) should give \(format(predictedPSNR)) dB at about \(kilobits(predictedRate)) (\(percent(predictedRate, fixedRate)))"
        if predicted.bitRate >= (1 - minimumSaving) * curve.fixed.bitRate {
            return profileRate("\(matching): too little saved", expected: fixedRate, fixedPSNR: fixedPSNR)
        }
        let ceiling = vbvCeiling(maxrate: spec.maxrate, segmentSeconds: segmentSeconds)
        return RateControlFacts(mode: .cappedQuality, crf: crf, predictedBitRate: predictedRate, profileBitRate: spec.bitrate,
                                maxrate: ceiling.maxrate, bufsize: ceiling.bufsize,
                                reason: "\(matching); \(ceilingReason(ceiling, spec: spec))",
                                fixedPSNR: fixedPSNR, predictedPSNR: predictedPSNR)
    }
}

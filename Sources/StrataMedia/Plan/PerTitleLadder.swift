import Foundation
import StrataManifest
import StrataProfiles

/// What the complexity probe measured: the bit rate x264 needed for the target at one small size.
struct ComplexityMeasurement: Sendable, Hashable {
    var width: Int
    var height: Int
    /// Bits per second of the probe encodes at the target CRF.
    var bitRate: Double
    var analysedSeconds: Double
    var masterSeconds: Double
    var frameRate: Double

    var bitsPerPixel: Double { bitRate / (Double(width * height) * frameRate) }
}

/// Per-title decisions for a planned ladder, from one measurement of the master's complexity.
///
/// Each rung aims at the target CRF with the rung's own VBV `maxrate`/`bufsize` as a ceiling, so no segment
/// can exceed what the profile allows; a rung the target would make nearly as costly as its profile rate keeps
/// the profile's rate (hard content gets exactly the fixed ladder, never more); rungs that would land closer
/// than the spacing to the rung above are left out, since players gain nothing from them.
enum PerTitleLadder {
    /// At constant CRF, bits grow with the pixel count to this power. Measured with libx264 `fast` between 360p
    /// and 480p/720p: 1.1–1.5 on grain and synthetic detail, so 1 (proportional) errs on the cheap side; the
    /// VBV ceiling bounds what a wrong guess can cost.
    static let pixelExponent = 1.0
    /// Seconds of VBV buffer for capped-quality rungs.
    static let bufferSeconds = 1.0
    /// A rung predicted to need at least this share of its profile rate keeps the profile's rate.
    static let profileRateShare = 0.8

    /// The bit rate a rung of `pixels` is expected to need, scaled from the probe.
    static func predictedBitRate(_ probe: ComplexityMeasurement, pixels: Int) -> Int {
        let scale = Double(pixels) / Double(probe.width * probe.height)
        return Int((probe.bitRate * pow(scale, pixelExponent)).rounded())
    }

    /// `plan` with every rung's rate control decided and the rungs too close to their neighbour left out.
    /// - Parameter segmentSeconds: the profile's segment length, over which no segment may exceed the rung's `maxrate`.
    static func apply(to plan: LadderPlan, target: PerTitleTarget, probe: ComplexityMeasurement, segmentSeconds: Double) -> LadderPlan {
        var decided: [PlannedRendition] = []
        var dropped: [PerTitleFacts.DroppedRung] = []
        for var rendition in plan.renditions {
            let spec = rendition.spec
            let predicted = predictedBitRate(probe, pixels: rendition.width * rendition.height)
            let expected: Int
            if Double(predicted) >= profileRateShare * Double(spec.bitrate) {
                expected = spec.bitrate
                rendition.rateControl = RateControlFacts(
                    mode: .profileBitRate, crf: nil, predictedBitRate: predicted, profileBitRate: spec.bitrate, maxrate: spec.maxrate,
                    bufsize: spec.bufsize,
                    reason: "CRF \(format(target.crf)) would need about \(kilobits(predicted)), \(percent(predicted, spec.bitrate)) of the profile's \(kilobits(spec.bitrate)): the profile's rate is kept")
            } else {
                expected = predicted
                let ceiling = vbvCeiling(maxrate: spec.maxrate, segmentSeconds: segmentSeconds)
                rendition.rateControl = RateControlFacts(
                    mode: .cappedQuality, crf: target.crf, predictedBitRate: predicted, profileBitRate: spec.bitrate, maxrate: ceiling.maxrate,
                    bufsize: ceiling.bufsize,
                    reason: "CRF \(format(target.crf)) should need about \(kilobits(predicted)), \(percent(predicted, spec.bitrate)) of the profile's \(kilobits(spec.bitrate)); VBV \(kilobits(ceiling.maxrate)) with a \(kilobits(ceiling.bufsize)) buffer keeps every segment under the rung's maxrate \(kilobits(spec.maxrate))")
            }
            if let above = decided.last, let aboveRate = above.rateControl.map({ expectedRate($0) }),
               Double(aboveRate) < target.minimumRungSpacing * Double(expected) {
                dropped.append(PerTitleFacts.DroppedRung(
                    name: spec.name, predictedBitRate: expected,
                    reason: "about \(kilobits(expected)) is less than \(format(target.minimumRungSpacing))× below \(above.spec.name)'s \(kilobits(aboveRate))"))
                continue
            }
            decided.append(rendition)
        }
        var result = plan
        result.renditions = decided
        result.perTitle = PerTitleFacts(
            targetCRF: target.crf, probeSize: "\(probe.width)x\(probe.height)",
            analysedSeconds: (probe.analysedSeconds * 100).rounded() / 100, masterSeconds: (probe.masterSeconds * 100).rounded() / 100,
            probeBitsPerPixel: (probe.bitsPerPixel * 10_000).rounded() / 10_000, droppedRenditions: dropped)
        return result
    }

    /// VBV settings under which no full segment can exceed `maxrate`.
    ///
    /// A VBV buffer lets a window of T seconds carry up to `maxrate·T + bufsize` bits (the buffer starts nearly
    /// full), so the rung's own `maxrate`/`bufsize` would let a 6 s segment reach 1.3× `maxrate`. With a buffer of
    /// `bufferSeconds` at the ceiling rate c, a segment of T seconds carries at most c·(T + bufferSeconds) = maxrate·T.
    static func vbvCeiling(maxrate: Int, segmentSeconds: Double) -> (maxrate: Int, bufsize: Int) {
        let ceiling = Int(Double(maxrate) * segmentSeconds / (segmentSeconds + bufferSeconds))
        return (ceiling, Int(Double(ceiling) * bufferSeconds))
    }

    /// The rate a decided rung is expected to land at.
    static func expectedRate(_ decision: RateControlFacts) -> Int {
        decision.mode == .profileBitRate ? decision.profileBitRate : decision.predictedBitRate
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private static func kilobits(_ bitsPerSecond: Int) -> String {
        BitRate.format(Int((Double(bitsPerSecond) / 1000).rounded()) * 1000)
    }

    private static func percent(_ part: Int, _ whole: Int) -> String {
        "\(Int((Double(part) / Double(max(whole, 1)) * 100).rounded()))%"
    }
}

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

/// Per-title decisions for a planned ladder. This file holds the constant-quality goal, decided from one
/// measurement of the master's complexity; `PerTitleLadder+FixedLadderMatch.swift` the goal of matching the
/// fixed ladder's quality, decided from each rung's measured quality curve.
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
    static func apply(to plan: LadderPlan, crf: Double, spacing: Double, probe: ComplexityMeasurement, segmentSeconds: Double) -> LadderPlan {
        let decided = plan.renditions.map { rendition in
            var rendition = rendition
            let spec = rendition.spec
            let predicted = predictedBitRate(probe, pixels: rendition.width * rendition.height)
            if Double(predicted) >= profileRateShare * Double(spec.bitrate) {
                rendition.rateControl = RateControlFacts(
                    mode: .profileBitRate, crf: nil, predictedBitRate: predicted, profileBitRate: spec.bitrate, maxrate: spec.maxrate,
                    bufsize: spec.bufsize,
                    reason: "CRF \(format(crf)) would need about \(kilobits(predicted)), \(percent(predicted, spec.bitrate)) of the profile's \(kilobits(spec.bitrate)): the profile's rate is kept")
            } else {
                let ceiling = vbvCeiling(maxrate: spec.maxrate, segmentSeconds: segmentSeconds)
                rendition.rateControl = RateControlFacts(
                    mode: .cappedQuality, crf: crf, predictedBitRate: predicted, profileBitRate: spec.bitrate, maxrate: ceiling.maxrate,
                    bufsize: ceiling.bufsize,
                    reason: "CRF \(format(crf)) should need about \(kilobits(predicted)), \(percent(predicted, spec.bitrate)) of the profile's \(kilobits(spec.bitrate)); \(ceilingReason(ceiling, spec: spec))")
            }
            return rendition
        }
        var result = plan
        let spaced = keepSpaced(decided, spacing: spacing)
        result.renditions = spaced.kept
        result.perTitle = PerTitleFacts(
            targetCRF: crf, probeSize: "\(probe.width)x\(probe.height)",
            analysedSeconds: rounded(probe.analysedSeconds, 100), masterSeconds: rounded(probe.masterSeconds, 100),
            probeBitsPerPixel: rounded(probe.bitsPerPixel, 10_000), droppedRenditions: spaced.dropped)
        return result
    }

    /// `decided` without the rungs expected to land less than `spacing`× below the rung kept above them.
    static func keepSpaced(_ decided: [PlannedRendition], spacing: Double) -> (kept: [PlannedRendition], dropped: [PerTitleFacts.DroppedRung]) {
        var kept: [PlannedRendition] = []
        var dropped: [PerTitleFacts.DroppedRung] = []
        for rendition in decided {
            let expected = rendition.rateControl.map(expectedRate) ?? rendition.spec.bitrate
            if let above = kept.last, let aboveRate = above.rateControl.map(expectedRate), Double(aboveRate) < spacing * Double(expected) {
                dropped.append(PerTitleFacts.DroppedRung(
                    name: rendition.spec.name, predictedBitRate: expected,
                    reason: "about \(kilobits(expected)) is less than \(format(spacing))× below \(above.spec.name)'s \(kilobits(aboveRate))"))
                continue
            }
            kept.append(rendition)
        }
        return (kept, dropped)
    }

    /// Why the VBV ceiling is what it is, in words.
    static func ceilingReason(_ ceiling: (maxrate: Int, bufsize: Int), spec: RenditionSpec) -> String {
        "VBV \(kilobits(ceiling.maxrate)) with a \(kilobits(ceiling.bufsize)) buffer keeps every segment under the rung's maxrate \(kilobits(spec.maxrate))"
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

    /// The rate a decided rung is expected to land at: the profile's rate when a CRF prediction said it was
    /// nearly needed, otherwise the prediction (which, when matching the fixed ladder, is the fixed encode's measured rate).
    static func expectedRate(_ decision: RateControlFacts) -> Int {
        decision.mode == .profileBitRate && decision.fixedPSNR == nil ? decision.profileBitRate : decision.predictedBitRate
    }

    static func rounded(_ value: Double, _ scale: Double) -> Double {
        (value * scale).rounded() / scale
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func kilobits(_ bitsPerSecond: Int) -> String {
        BitRate.format(Int((Double(bitsPerSecond) / 1000).rounded()) * 1000)
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        "\(Int((Double(part) / Double(max(whole, 1)) * 100).rounded()))%"
    }
}

import FFmpegBridge
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing

@Suite("Per-title decisions that match the fixed ladder's quality")
struct PerTitleLadderFixedLadderMatchTests {
    let ladder = PerTitleLadderTests()

    /// A curve whose fixed rate gives `fixedPSNR` at `fixedRate`, with capped-CRF points (crf, bit rate, PSNR).
    func curve(_ name: String, fixedRate: Double, fixedPSNR: Double, _ points: [(Double, Double, Double)]) -> RungQualityCurve {
        var curve = RungQualityCurve(name: name, fixed: QualityPoint(crf: nil, bitRate: fixedRate, psnr: fixedPSNR))
        for (crf, rate, psnr) in points { curve.add(QualityPoint(crf: crf, bitRate: rate, psnr: psnr)) }
        return curve
    }

    /// The test ladder decided from `curves` (a spacing of 1.1 keeps every rung unless a test is about spacing).
    func decide(_ curves: [String: RungQualityCurve], spacing: Double = 1.1, analysedSeconds: Double = 8,
                masterSeconds: Double = 8) throws -> LadderPlan {
        PerTitleLadder.apply(to: try ladder.plan(), maximumPSNRLoss: 0.3, spacing: spacing, curves: curves,
                             analysedSeconds: analysedSeconds, masterSeconds: masterSeconds, segmentSeconds: 6)
    }

    @Test("the CRF for a PSNR is interpolated between the points around it, and bits in log scale")
    func interpolation() {
        let c = curve("720p", fixedRate: 2_600_000, fixedPSNR: 50, [(20, 800_000, 46), (14, 2_000_000, 49)])
        // 47.5 dB lies halfway between CRF 20 (46 dB) and CRF 14 (49 dB).
        #expect(c.crf(forPSNR: 47.5) == 17)
        let predicted = try! #require(c.predicted(atCRF: 17))
        #expect(abs(predicted.psnr - 47.5) < 1e-9)
        // Halfway in CRF is the geometric mean of the rates: √(0.8 M × 2 M) ≈ 1.265 M.
        #expect(abs(predicted.bitRate - 1_264_911) < 1)
        // Beyond the points the nearest pair's slope (0.5 dB per CRF step) carries on, within x264's useful range.
        #expect(c.crf(forPSNR: 50) == 12)
        #expect(c.crf(forPSNR: 80) == RungQualityCurve.crfRange.lowerBound)
        // With one point, the assumed slope.
        let single = curve("360p", fixedRate: 800_000, fixedPSNR: 45, [(20, 300_000, 44)])
        #expect(single.crf(forPSNR: 44.8) == 18)
        #expect(curve("x", fixedRate: 1, fixedPSNR: 1, []).crf(forPSNR: 1) == nil)
    }

    @Test("an easy rung gets the CRF that keeps its PSNR within the allowance, under the VBV ceiling; a hard one keeps its rate")
    func decisions() throws {
        let curves = [
            // Easy: CRF 14 is 0.1 dB under the fixed rate for 40% fewer bits.
            "720p": curve("720p", fixedRate: 2_700_000, fixedPSNR: 55, [(14, 1_620_000, 54.9), (20, 700_000, 52.4)]),
            // Hard: matching the fixed PSNR takes as many bits as the fixed rate.
            "540p": curve("540p", fixedRate: 1_400_000, fixedPSNR: 38, [(20, 1_390_000, 37.9), (24, 1_100_000, 36)]),
        ]
        let decided = try decide(curves)
        let top = try #require(decided.renditions.first?.rateControl)
        #expect(top.mode == .cappedQuality)
        // Probed whole, so the aim is 0.7 × 0.3 = 0.21 dB below 55 dB: between CRF 14 (54.9) and 20 (52.4).
        let crf = try #require(top.crf)
        #expect(crf > 14 && crf < 14.5, "\(crf)")
        #expect(top.fixedPSNR == 55 && (top.predictedPSNR ?? 0) >= 55 - 0.3 && (top.predictedPSNR ?? 99) < 55)
        #expect(top.predictedBitRate < 1_620_000 && top.predictedBitRate > 1_400_000)
        #expect(top.maxrate == PerTitleLadder.vbvCeiling(maxrate: 3_080_000, segmentSeconds: 6).maxrate)
        #expect(top.reason.contains("55 dB") && top.reason.contains("CRF \(PerTitleLadder.format(crf))"), "\(top.reason)")

        let hard = try #require(decided.renditions.first { $0.spec.name == "540p" }?.rateControl)
        #expect(hard.mode == .profileBitRate && hard.crf == nil, "\(hard.reason)")
        #expect(hard.reason.contains("too little saved"))
        // A rung without a curve (another codec, or none measured) keeps its rate too.
        let unmeasured = try #require(decided.renditions.first { $0.spec.name == "360p" }?.rateControl)
        #expect(unmeasured.mode == .profileBitRate && unmeasured.predictedBitRate == 800_000)
        #expect(decided.perTitle?.maximumPSNRLoss == 0.3 && decided.perTitle?.targetCRF == nil)
        #expect(decided.perTitle?.probeSize == "1280x720, 960x540")

        // Sampled stretches only: a wider margin (0.5 × 0.3 = 0.15 dB below), so a lower CRF.
        let sampled = try decide(curves, analysedSeconds: 16, masterSeconds: 300)
        #expect((sampled.renditions.first?.rateControl?.crf ?? 99) < crf)
    }

    @Test("a PSNR no probe reached keeps the profile's rate: the slope is not extended past what was measured")
    func unreachable() throws {
        // Still slides: 1-pass ABR reaches 65 dB with 282 kb/s; even CRF 1 gives 63 dB (x264 skips still blocks).
        let curves = ["720p": curve("720p", fixedRate: 282_000, fixedPSNR: 65.12, [(1, 246_000, 63.06), (8, 200_000, 62)])]
        let decided = try decide(curves)
        let top = try #require(decided.renditions.first?.rateControl)
        #expect(top.mode == .profileBitRate && top.predictedBitRate == 282_000)
        #expect(top.reason.contains("the best capped CRF probed (1) gave 63.06 dB"), "\(top.reason)")
    }

    @Test("where the PSNR barely moves with the CRF (the VBV ceiling holds the encoder), the profile's rate is kept")
    func flat() throws {
        // Scene cuts at 360p: CRF 19.5 measured no better than CRF 20; the fixed rate's 26.0 dB is out of reach.
        let curves = ["720p": curve("720p", fixedRate: 2_420_000, fixedPSNR: 21.9, [(20, 1_900_000, 21.72), (19.5, 1_950_000, 21.69)])]
        let decided = try decide(curves)
        let top = try #require(decided.renditions.first?.rateControl)
        #expect(top.mode == .profileBitRate && top.reason.contains("barely moves"), "\(top.reason)")
        // Neighbouring CRFs' noise is not the slope: a point a whole step away is used when there is one.
        let noisy = curve("720p", fixedRate: 2_700_000, fixedPSNR: 56.4, [(20, 300_000, 54), (12.4, 470_000, 56.25), (12.2, 466_000, 56.24)])
        #expect(noisy.slope(around: 56.2).map { abs($0 - 2.24 / 7.8) < 1e-9 } == true, "\(String(describing: noisy.slope(around: 56.2)))")
    }

    @Test("rungs are spaced by the fixed encode's measured rate when they keep it")
    func spacing() throws {
        let curves = [
            "720p": curve("720p", fixedRate: 300_000, fixedPSNR: 64, [(8, 200_000, 63.8), (14, 120_000, 60)]),
            // The fixed rate undershoots on still content (1-pass ABR cannot spend 1.4 Mb/s on slides): 280 kb/s
            // measured, less than 1.4× below 720p's expected ~200 kb/s, so it goes.
            "540p": curve("540p", fixedRate: 280_000, fixedPSNR: 40, [(20, 279_000, 39.9), (24, 250_000, 38)]),
            "360p": curve("360p", fixedRate: 100_000, fixedPSNR: 60, [(8, 60_000, 59.8), (14, 30_000, 56)]),
        ]
        let decided = try decide(curves, spacing: 1.4)
        #expect(decided.renditions.map(\.spec.name) == ["720p", "360p"])
        #expect(decided.perTitle?.droppedRenditions.map(\.name) == ["540p"])
    }

    @Test("the search stops once a probe lands just above the aim, when the aim costs the fixed rate anyway, or when lower CRFs stop helping")
    func search() {
        // Aim: 55 − 0.7 × 0.3 = 54.79 dB; the search looks for 54.79…54.89.
        let open = curve("720p", fixedRate: 2_700_000, fixedPSNR: 55, [(20, 700_000, 52.4)])
        let next = RungQualityProbe.nextCRF(open, loss: 0.3, probedWhole: true)
        #expect(next != nil && next! < 20)
        let below = curve("720p", fixedRate: 2_700_000, fixedPSNR: 55, [(20, 700_000, 52.4), (14.5, 1_500_000, 54.7)])
        #expect((RungQualityProbe.nextCRF(below, loss: 0.3, probedWhole: true) ?? 99) < 14.5)
        let landed = curve("720p", fixedRate: 2_700_000, fixedPSNR: 55, [(20, 700_000, 52.4), (14.3, 1_500_000, 54.85)])
        #expect(RungQualityProbe.nextCRF(landed, loss: 0.3, probedWhole: true) == nil)
        let costly = curve("720p", fixedRate: 2_700_000, fixedPSNR: 38, [(20, 2_650_000, 37)])
        #expect(RungQualityProbe.nextCRF(costly, loss: 0.3, probedWhole: true) == nil)
        // Scene cuts at 540p: CRF 12 gave no more than CRF 20 under the VBV ceiling, both short of the aim.
        let saturated = curve("540p", fixedRate: 1_350_000, fixedPSNR: 23.56, [(20, 990_000, 23.03), (12, 1_150_000, 23.0)])
        #expect(RungQualityProbe.nextCRF(saturated, loss: 0.3, probedWhole: true) == nil)
    }
}

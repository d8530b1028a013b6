import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles

/// Measures each H.264 rung's quality curve for matching the fixed ladder: on evenly sampled GOPs of the
/// master, the rung's fixed-rate encode and capped-CRF encodes chosen step by step (a secant search) until one
/// lands at the PSNR aimed at or up to `closeEnough` above it.
///
/// Each pass decodes the sampled GOPs (seeking to each) and hands every probe its rung's picture, scaled as for the package and
/// with a keyframe at each sampled GOP's start as in the package; the probes measure PSNR themselves
/// (`ProbeEncode`). Pass 1 runs every rung's fixed encode and one at `firstCRF`; later passes only the rungs
/// still short of their aim.
enum RungQualityProbe {
    /// Masters up to this many GOPs are probed whole; longer ones in this many evenly spread GOPs.
    static let sampledGOPs = 8
    static let firstCRF = 20.0
    /// A probe at the aim or up to this many dB above it ends the search for its rung.
    static let closeEnough = 0.1
    /// Lowering the CRF further is pointless when the lowest one probed gained less than this (dB) on the next.
    static let saturation = 0.05
    static let maximumPasses = 5

    struct Measurement {
        var curves: [String: RungQualityCurve]
        var analysedSeconds: Double
    }

    static func measure(masterPath: String, masterSeconds: Double, plan: LadderPlan, profile: EncodingProfile, scaling: ScalingFilter,
                        maximumPSNRLoss loss: Double, threads: Int, logger: Logger) throws -> Measurement {
        let rungs = plan.renditions.filter { $0.spec.codec == .h264 }
        let schedule = KeyframeSchedule(frameRate: plan.frameRate, gopSeconds: profile.gopSeconds, gopsPerSegment: profile.gopsPerSegment)
        let sampling = GOPSampling(masterSeconds: masterSeconds, frameRate: plan.frameRate.doubleValue,
                                   gopFrames: schedule.maxKeyframeDistance, maximumGOPs: sampledGOPs)

        var curves: [String: RungQualityCurve] = [:]
        var wanted: [String: [Double?]] = Dictionary(uniqueKeysWithValues: rungs.map { ($0.spec.name, [nil, firstCRF]) })
        var analysedSeconds = 0.0
        for pass in 1...maximumPasses where !wanted.isEmpty {
            var probes: [String: [ProbeEncode]] = [:]
            for rung in rungs {
                for crf in wanted[rung.spec.name] ?? [] {
                    let settings = probeSettings(rung, crf: crf, plan: plan, schedule: schedule, profile: profile, threads: threads)
                    probes[rung.spec.name, default: []].append(try ProbeEncode(rung: rung.spec.name, crf: crf, settings: settings))
                }
            }
            let encoded = try run(probes, rungs: rungs.filter { probes[$0.spec.name] != nil }, masterPath: masterPath, plan: plan,
                                  scaling: scaling, sampling: sampling, logger: logger)
            analysedSeconds = Double(encoded) / plan.frameRate.doubleValue
            for probe in probes.values.joined() {
                let point = try probe.finish(frameRate: plan.frameRate.doubleValue)
                if point.crf == nil {
                    curves[probe.rung] = RungQualityCurve(name: probe.rung, fixed: point)
                } else {
                    curves[probe.rung]?.add(point)
                }
                logger.info("per-title probe", metadata: [
                    "pass": "\(pass)", "rung": "\(probe.rung)", "crf": "\(point.crf.map { String($0) } ?? "fixed rate")",
                    "bitrate": "\(Int(point.bitRate))", "psnr": "\(PerTitleLadder.rounded(point.psnr, 100))"])
            }
            wanted = [:]
            for (name, curve) in curves {
                if let next = nextCRF(curve, loss: loss, probedWhole: sampling.coversWholeMaster) { wanted[name] = [next] }
            }
        }
        return Measurement(curves: curves, analysedSeconds: analysedSeconds)
    }

    /// The CRF to probe next for `curve`, or nil when its search is over: a probe landed at the aim or up to
    /// `closeEnough` above it, the aim needs at least what the fixed rate spends, lower CRFs stopped raising the
    /// PSNR (the VBV ceiling holds them), or the next guess was already measured.
    static func nextCRF(_ curve: RungQualityCurve, loss: Double, probedWhole: Bool) -> Double? {
        let aim = PerTitleLadder.aim(curve, loss: loss, probedWhole: probedWhole)
        if curve.points.contains(where: { $0.psnr >= aim && $0.psnr <= aim + closeEnough }) { return nil }
        let costly = curve.points.contains { $0.psnr < aim && $0.bitRate >= (1 - PerTitleLadder.minimumSaving) * curve.fixed.bitRate }
        let points = curve.points
        let saturated = points.count >= 2 && points[0].psnr < aim && points[0].psnr - points[1].psnr < saturation
        // Search for the middle of the band above the aim, so that the probe lands inside it.
        guard !costly, !saturated, let next = curve.crf(forPSNR: aim + closeEnough / 2),
              !curve.points.contains(where: { $0.crf == next }) else { return nil }
        return next
    }

    /// The encoder settings of the rung at its fixed rate (`crf` nil) or at capped `crf`, as the package would use them.
    static func probeSettings(_ rung: PlannedRendition, crf: Double?, plan: LadderPlan, schedule: KeyframeSchedule, profile: EncodingProfile,
                              threads: Int) -> VideoEncoderSettings {
        var rendition = rung
        rendition.rateControl = nil
        if let crf {
            let ceiling = PerTitleLadder.vbvCeiling(maxrate: rung.spec.maxrate, segmentSeconds: profile.segmentSeconds)
            rendition.rateControl = RateControlFacts(mode: .cappedQuality, crf: crf, predictedBitRate: 0, profileBitRate: rung.spec.bitrate,
                                                     maxrate: ceiling.maxrate, bufsize: ceiling.bufsize, reason: "quality probe")
        }
        return VideoEncoderFactory.settings(for: rendition, frameRate: plan.frameRate, schedule: schedule, color: .unspecified, threads: threads)
    }

    /// Decodes the master once, feeding the sampled GOPs to `probes`; returns how many pictures each got.
    private static func run(_ probes: [String: [ProbeEncode]], rungs: [PlannedRendition], masterPath: String, plan: LadderPlan,
                            scaling: ScalingFilter, sampling: GOPSampling, logger: Logger) throws -> Int {
        let pictures = try rungs.map { try RenditionPicture(width: $0.width, height: $0.height, rotation: plan.rotation, filter: scaling) }
        var encoded: Int64 = 0
        try MasterFrameReader.forEach(masterPath: masterPath, frameRate: plan.frameRate, sampling: sampling, logger: logger) { item in
            for (rung, picture) in zip(rungs, pictures) {
                // One owned copy per rung, shared by its probes: each keeps it until its picture is decoded back.
                let owned = try picture.make(from: item.frame).copyPixels()
                owned.pts = encoded
                owned.forcesKeyframe = sampling.startsGOP(item.number)
                for probe in probes[rung.spec.name] ?? [] {
                    try probe.encode(owned)
                }
            }
            encoded += 1
        }
        guard encoded > 0 else { throw TranscodeError(.truncated, "the master has no pictures to analyse") }
        return Int(encoded)
    }
}

import FFmpegBridge
import Foundation
import StrataManifest

/// The steps a transcode adds around encoding for content-adaptive ladders and quality reports.
extension Transcoder {
    /// In per-title mode, `plan` with each rung's rate decided from a complexity probe of the master; otherwise `plan`.
    func perTitlePlan(_ plan: LadderPlan, request: TranscodeRequest, masterSeconds: Double) throws(TranscodeError) -> LadderPlan {
        if let added = plan.sourceSizeRendition {
            logger.info("adding a rung at the master's own size", metadata: ["rung": "\(added)"])
        }
        guard let target = request.profile.perTitle else { return plan }
        do {
            let threads = request.tuning.encoderThreads ?? ProcessInfo.processInfo.activeProcessorCount
            let decided: LadderPlan
            switch target.goal {
            case .constantQuality(let crf):
                let probe = try ComplexityProbe.measure(masterPath: request.masterPath, masterSeconds: masterSeconds, plan: plan,
                                                        profile: request.profile, crf: crf, threads: threads, logger: logger)
                decided = PerTitleLadder.apply(to: plan, crf: crf, spacing: target.minimumRungSpacing, probe: probe,
                                               segmentSeconds: request.profile.segmentSeconds)
            case .matchFixedLadder(let loss):
                let measured = try RungQualityProbe.measure(masterPath: request.masterPath, masterSeconds: masterSeconds, plan: plan,
                                                            profile: request.profile, scaling: request.scaling, maximumPSNRLoss: loss,
                                                            threads: threads, logger: logger)
                decided = PerTitleLadder.apply(to: plan, maximumPSNRLoss: loss, spacing: target.minimumRungSpacing, curves: measured.curves,
                                               analysedSeconds: measured.analysedSeconds, masterSeconds: masterSeconds,
                                               segmentSeconds: request.profile.segmentSeconds)
            }
            for rendition in decided.renditions {
                logger.info("per-title rate", metadata: ["rung": "\(rendition.spec.name)", "decision": "\(rendition.rateControl?.reason ?? "")"])
            }
            for rung in decided.perTitle?.droppedRenditions ?? [] {
                logger.info("per-title left out a rung", metadata: ["rung": "\(rung.name)", "reason": "\(rung.reason)"])
            }
            return decided
        } catch {
            throw Transcoder.describe(error)
        }
    }

    /// `facts` with each rendition's rate decision and, when asked for or in per-title mode, its measured quality.
    func withQualityAndRates(_ facts: PackageFacts, plan: LadderPlan, request: TranscodeRequest, root: URL) throws -> PackageFacts {
        var facts = facts
        let decisions = Dictionary(plan.renditions.map { ($0.spec.name, $0.rateControl) }, uniquingKeysWith: { first, _ in first })
        for index in facts.video.indices {
            facts.video[index].rateControl = decisions[facts.video[index].id] ?? nil
        }
        facts.perTitle = plan.perTitle
        if request.measureQuality || plan.perTitle != nil {
            logger.info("measuring PSNR and SSIM of every rendition against the master")
            facts.video = try RenditionQualityMeter.measure(masterPath: request.masterPath, plan: plan, scaling: request.scaling,
                                                             video: facts.video, root: root, logger: logger)
        }
        return facts
    }
}

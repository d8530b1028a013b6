import Foundation
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

/// Masters of opposite difficulty at 960×540 (so the default ladder has two rungs: 540p and 360p).
enum PerTitleMasters {
    /// FFmpeg's `testsrc`: flat colour fields, a small moving gradient and a counter. libx264 reaches CRF 21 with
    /// about a fifth of the fixed ladder's 540p rate, and the fixed rate's PSNR with clearly fewer bits.
    static let easy = TestMasters.Recipe(name: "pertitle-easy", arguments: [
        "-f", "lavfi", "-i", "testsrc=size=960x540:rate=30:duration=4",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "10", "-pix_fmt", "yuv420p",
    ])
    /// Moving test pattern under heavy temporal grain: every picture is new detail.
    static let hard = TestMasters.Recipe(name: "pertitle-hard", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=960x540:rate=30:duration=4,noise=alls=30:allf=t+u",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "8", "-pix_fmt", "yuv420p",
    ])
}

@Suite("Per-title transcodes", .serialized)
struct PerTitleTranscodeTests {
    let library = ProfileLibrary(directory: repositoryRoot.appendingPathComponent("Profiles"))

    func transcode(_ recipe: TestMasters.Recipe, profile name: String, into folder: URL, measure: Bool = false) throws -> (TranscodeReport, PackageFacts) {
        var request = TranscodeRequest(masterPath: try TestMasters.path(recipe), profile: try library.load(named: name),
                                       outputDirectory: folder.appendingPathComponent(name))
        request.measureQuality = measure
        let report = try Transcoder().run(request)
        let facts = try JSONDecoder().decode(PackageFacts.self, from: Data(contentsOf: request.outputDirectory.appendingPathComponent("package.json")))
        return (report, facts)
    }

    func videoBytes(_ facts: PackageFacts) -> Int {
        facts.video.flatMap(\.timeline.segments).reduce(0) { $0 + $1.byteCount }
    }

    /// The independent checks (xmllint with the DASH schema, ffprobe, ffmpeg and GStreamer over HTTP) pass on the package at `root`.
    func expectPlays(_ root: URL) throws {
        var audit = PackageAudit(root: root, masterDuration: 4)
        try audit.run()
        #expect(audit.problems.isEmpty, "\(audit.problems)")
    }

    /// PSNR lost by each rung of `perTitle` against the same rung of `fixed`, by name.
    func losses(_ fixed: PackageFacts, _ perTitle: PackageFacts) -> [String: Double] {
        var losses: [String: Double] = [:]
        for track in perTitle.video {
            if let reference = fixed.video.first(where: { $0.id == track.id })?.quality, let measured = track.quality {
                losses[track.id] = reference.psnr - measured.psnr
            }
        }
        return losses
    }

    @Test("an easy master gets fewer bits at the fixed ladder's measured PSNR (within 0.3 dB), plays everywhere, and says why")
    func easy() throws {
        let folder = try makeTemporaryDirectory("pertitle-easy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, fixed) = try transcode(PerTitleMasters.easy, profile: "default", into: folder, measure: true)
        let (report, perTitle) = try transcode(PerTitleMasters.easy, profile: "per-title", into: folder)

        #expect(Double(videoBytes(perTitle)) < 0.8 * Double(videoBytes(fixed)), "per-title \(videoBytes(perTitle)) B vs fixed \(videoBytes(fixed)) B")
        let losses = losses(fixed, perTitle)
        #expect(losses.count == perTitle.video.count && !losses.isEmpty)
        #expect(losses.values.allSatisfy { $0 <= 0.3 }, "PSNR lost per rung: \(losses)")
        // The probe decodes its encodes in memory; its fixed-rate PSNR is what measuring the fixed package finds
        // (the probe saw the whole 4 s master, so it is the same encode up to threaded x264's run-to-run spread).
        for track in perTitle.video {
            let probed = try #require(track.rateControl?.fixedPSNR)
            let measured = try #require(fixed.video.first { $0.id == track.id }?.quality?.psnr)
            #expect(abs(probed - measured) < 0.1, "\(track.id): probe \(probed) dB, package \(measured) dB")
        }
        let top = try #require(perTitle.video.first)
        #expect(top.id == "540p")
        let decision = try #require(top.rateControl)
        #expect(decision.mode == .cappedQuality, "\(decision.reason)")
        #expect(decision.fixedPSNR != nil && decision.predictedPSNR != nil && decision.reason.contains(" dB at about "), "\(decision.reason)")
        // Quality is measured in every per-title run.
        #expect(top.quality?.frames == 120)
        #expect(fixed.video.allSatisfy { $0.quality != nil && $0.rateControl == nil })
        #expect(report.perTitle?.maximumPSNRLoss == 0.3 && report.perTitle?.targetCRF == nil)
        #expect(report.renditions.first?.rateControl?.mode == .cappedQuality)

        try expectPlays(folder.appendingPathComponent("per-title"))
    }

    @Test("at one CRF for every rung, an easy master gets far fewer bits still, and a high PSNR")
    func constantQuality() throws {
        let folder = try makeTemporaryDirectory("pertitle-crf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, fixed) = try transcode(PerTitleMasters.easy, profile: "default", into: folder)
        let (report, perTitle) = try transcode(PerTitleMasters.easy, profile: "per-title-crf", into: folder)
        #expect(videoBytes(perTitle) * 2 < videoBytes(fixed), "per-title \(videoBytes(perTitle)) B vs fixed \(videoBytes(fixed)) B")
        let top = try #require(perTitle.video.first)
        #expect(top.rateControl?.mode == .cappedQuality)
        #expect(top.rateControl?.reason.contains("CRF 21") == true)
        let quality = try #require(top.quality)
        #expect(quality.psnr > 40 && quality.ssim > 0.98)
        #expect(report.perTitle?.targetCRF == 21)
        try expectPlays(folder.appendingPathComponent("per-title-crf"))
    }

    @Test("a hard master gets no more bits than the fixed ladder and keeps its PSNR; the grainy top rung keeps its rate, and it plays")
    func hard() throws {
        let folder = try makeTemporaryDirectory("pertitle-hard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, fixed) = try transcode(PerTitleMasters.hard, profile: "default", into: folder, measure: true)
        let (_, perTitle) = try transcode(PerTitleMasters.hard, profile: "per-title", into: folder)
        #expect(perTitle.video.map(\.id) == ["540p", "360p"])
        // Threaded x264 differs a little from run to run, so "no more" allows 2%.
        #expect(Double(videoBytes(perTitle)) <= 1.02 * Double(videoBytes(fixed)), "per-title \(videoBytes(perTitle)) B vs fixed \(videoBytes(fixed)) B")
        let losses = losses(fixed, perTitle)
        #expect(losses.count == 2 && losses.values.allSatisfy { $0 <= 0.35 }, "PSNR lost per rung: \(losses)")
        let top = try #require(perTitle.video.first?.rateControl)
        // Full-size grain: matching the fixed rate's PSNR costs about its bits, so the rung keeps its rate.
        #expect(top.mode == .profileBitRate && top.reason.contains("the profile's rate is kept") && top.fixedPSNR != nil, "\(top.reason)")
        for track in perTitle.video {
            let decision = try #require(track.rateControl)
            // No full segment above the rung's maxrate (1.1× the average, the profile's default cap).
            #expect(Double(track.timeline.averageBitRate) <= Double(decision.maxrate) * 1.02)
            #expect(track.quality != nil)
        }
        try expectPlays(folder.appendingPathComponent("per-title"))
    }
}

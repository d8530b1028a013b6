import Foundation
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

/// Masters of opposite difficulty at 960×540 (so the default ladder has two rungs: 540p and 360p).
enum PerTitleMasters {
    /// FFmpeg's `testsrc`: flat colour fields, a small moving gradient and a counter. libx264 reaches CRF 21 with
    /// about a fifth of the fixed ladder's 540p rate.
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

    @Test("an easy master gets far fewer bits than the fixed ladder, plays everywhere, and says why")
    func easy() throws {
        let folder = try makeTemporaryDirectory("pertitle-easy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, fixed) = try transcode(PerTitleMasters.easy, profile: "default", into: folder, measure: true)
        let (report, perTitle) = try transcode(PerTitleMasters.easy, profile: "per-title", into: folder)

        #expect(videoBytes(perTitle) * 2 < videoBytes(fixed), "per-title \(videoBytes(perTitle)) B vs fixed \(videoBytes(fixed)) B")
        let top = try #require(perTitle.video.first)
        #expect(top.id == "540p")
        #expect(top.rateControl?.mode == .cappedQuality)
        #expect(top.rateControl?.reason.contains("CRF 21") == true)
        // Quality is measured in every per-title run, and stays high on the easy master.
        let quality = try #require(top.quality)
        #expect(quality.frames == 120)
        #expect(quality.psnr > 40 && quality.ssim > 0.98)
        #expect(fixed.video.allSatisfy { $0.quality != nil && $0.rateControl == nil })
        #expect(report.perTitle?.targetCRF == 21)
        #expect(report.renditions.first?.rateControl?.mode == .cappedQuality)

        var audit = PackageAudit(root: folder.appendingPathComponent("per-title"), masterDuration: 4)
        try audit.run()
        #expect(audit.problems.isEmpty, "\(audit.problems)")
    }

    @Test("a hard master keeps the profile's rates: no more bits than the fixed ladder, and it plays")
    func hard() throws {
        let folder = try makeTemporaryDirectory("pertitle-hard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, perTitle) = try transcode(PerTitleMasters.hard, profile: "per-title", into: folder)
        #expect(perTitle.video.map(\.id) == ["540p", "360p"])
        for track in perTitle.video {
            let decision = try #require(track.rateControl)
            #expect(decision.mode == .profileBitRate, "\(track.id): \(decision.reason)")
            // No full segment above the rung's maxrate (1.1× the average, the profile's default cap).
            #expect(Double(track.timeline.averageBitRate) <= Double(decision.maxrate) * 1.02)
            #expect(track.quality != nil)
        }
        #expect((perTitle.perTitle?.probeBitsPerPixel ?? 0) > 0.1)
        var audit = PackageAudit(root: folder.appendingPathComponent("per-title"), masterDuration: 4)
        try audit.run()
        #expect(audit.problems.isEmpty, "\(audit.problems)")
    }
}

import Foundation
import StrataProfiles
import Testing

@Suite("Per-title profiles")
struct PerTitleProfileTests {
    @Test("the shipped per-title profiles are the default ladder, matching its PSNR within 0.3 dB or at CRF 21")
    func shipped() throws {
        let library = ProfileLibrary(directory: ProfileParserTests.profilesFolder)
        let perTitle = try library.load(named: "per-title")
        let constantQuality = try library.load(named: "per-title-crf")
        let standard = try library.load(named: "default")
        #expect(perTitle.perTitle == PerTitleTarget(goal: .matchFixedLadder(maximumPSNRLoss: 0.3), minimumRungSpacing: 1.4))
        #expect(constantQuality.perTitle == PerTitleTarget(crf: 21, minimumRungSpacing: 1.4))
        #expect(perTitle.renditions == standard.renditions && constantQuality.renditions == standard.renditions)
        #expect(standard.perTitle == nil)
    }

    @Test("rate_control: per_title reads the quality target; rung_spacing is optional")
    func reads() throws {
        let profile = try ProfileParser.parse("""
            name: pt
            rate_control: per_title
            quality: {crf: 23.5}
            renditions: [{height: 360, bitrate: 800k}]
            """, source: "inline")
        #expect(profile.perTitle == PerTitleTarget(crf: 23.5, minimumRungSpacing: 1.4))
        let matching = try ProfileParser.parse("""
            name: pt
            rate_control: per_title
            quality: {max_psnr_loss: 0.5, rung_spacing: 1.6}
            renditions: [{height: 360, bitrate: 800k}]
            """, source: "inline")
        #expect(matching.perTitle == PerTitleTarget(goal: .matchFixedLadder(maximumPSNRLoss: 0.5), minimumRungSpacing: 1.6))
        #expect(matching.perTitle?.maximumPSNRLoss == 0.5 && matching.perTitle?.crf == nil)
    }

    @Test("a bad quality target is refused with file, line, key path and reason", arguments: [
        ("rate_control: per_title\nquality: {crf: 60}\n", "quality.crf", 3, "out of range"),
        ("rate_control: per_title\nquality: {crf: high}\n", "quality.crf", 3, "expected a number"),
        ("rate_control: per_title\nquality: {psnr: 42}\n", "quality.psnr", 3, "unknown key"),
        ("rate_control: per_title\nquality: {max_psnr_loss: 5}\n", "quality.max_psnr_loss", 3, "out of range"),
        ("rate_control: per_title\nquality: {max_psnr_loss: -0.3}\n", "quality.max_psnr_loss", 3, "out of range"),
        ("rate_control: per_title\nquality: {crf: 21, max_psnr_loss: 0.3}\n", "quality.max_psnr_loss", 3, "not both"),
        ("rate_control: per_title\nquality: {rung_spacing: 1.5}\n", "quality", 3, "needs 'max_psnr_loss'"),
        ("rate_control: per_title\nquality: {crf: 21, rung_spacing: 1}\n", "quality.rung_spacing", 3, "out of range"),
        ("rate_control: per_title\n", "rate_control", 2, "needs a quality target"),
        ("rate_control: adaptive\n", "rate_control", 2, "per_title"),
        ("quality: {crf: 21}\n", "quality", 2, "rate_control: per_title"),
    ])
    func badTarget(body: String, keyPath: String, line: Int, reason: String) throws {
        let problem = try #require(ProfileErrorTests().error("name: bad\n" + body + "renditions: [{height: 360, bitrate: 800k}]\n"))
        #expect(problem.keyPath == keyPath)
        #expect(problem.line == line)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
        #expect(problem.description.hasPrefix("Profiles/bad.yaml:\(line): \(keyPath): "))
    }
}

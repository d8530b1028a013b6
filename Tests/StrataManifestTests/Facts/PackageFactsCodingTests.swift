import Foundation
import StrataManifest
import Testing

@Suite("package.json coding")
struct PackageFactsCodingTests {
    @Test("a package written before quality and per-title facts existed still decodes; the new facts round-trip")
    func oldAndNew() throws {
        let old = try JSONEncoder().encode(Fixtures.simple)
        let text = String(decoding: old, as: UTF8.self)
        #expect(!text.contains("quality") && !text.contains("rateControl") && !text.contains("perTitle"))
        let decoded = try JSONDecoder().decode(PackageFacts.self, from: old)
        #expect(decoded == Fixtures.simple)
        #expect(decoded.video.allSatisfy { $0.quality == nil && $0.rateControl == nil } && decoded.perTitle == nil)

        var facts = Fixtures.simple
        facts.video[0].quality = QualityFacts(frames: 420, psnr: 44.12345, psnrY: 45.0, ssim: 0.9912345, ssimY: 0.99)
        facts.video[0].rateControl = RateControlFacts(mode: .cappedQuality, crf: 21, predictedBitRate: 900_000, profileBitRate: 2_800_000,
                                                      maxrate: 2_640_000, bufsize: 2_640_000, reason: "easy")
        facts.perTitle = PerTitleFacts(targetCRF: 21, probeSize: "640x360", analysedSeconds: 14, masterSeconds: 14,
                                       probeBitsPerPixel: 0.02, droppedRenditions: [.init(name: "540p", predictedBitRate: 500_000, reason: "close")])
        let json = try JSONEncoder().encode(facts)
        #expect(String(decoding: json, as: UTF8.self).contains("\"capped_quality\""))
        #expect(try JSONDecoder().decode(PackageFacts.self, from: json) == facts)
        #expect(facts.video[0].quality?.psnr == 44.123 && facts.video[0].quality?.ssim == 0.99123)
    }
}

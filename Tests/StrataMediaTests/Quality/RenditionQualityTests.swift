import Foundation
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

@Suite("Quality measured in-process matches FFmpeg 8's filters", .serialized)
struct RenditionQualityTests {
    /// FFmpeg's summary line, e.g. "PSNR y:45.9 u:45.1 v:45.8 average:45.75 …" → ["y": 45.9, …].
    func summary(_ text: String, _ prefix: String) -> [String: Double] {
        guard let line = text.split(separator: "\n").last(where: { $0.contains(prefix) }) else { return [:] }
        var values: [String: Double] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: ":")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    @Test("PSNR and SSIM of every rung, same size and scaled, within 0.05 dB and 0.0005")
    func againstFFmpeg() throws {
        let ffmpeg = try #require(ModernFFmpeg.ffmpeg, "FFmpeg 8 from .tools/venv (scripts/install-deps)")
        let folder = try makeTemporaryDirectory("quality")
        defer { try? FileManager.default.removeItem(at: folder) }
        let master = try TestMasters.path(TestMasters.oddSize)  // 853×479: a 478p rung (cropped to even) and a scaled 360p
        var request = TranscodeRequest(
            masterPath: master, profile: try ProfileLibrary(directory: repositoryRoot.appendingPathComponent("Profiles")).load(named: "default"),
            outputDirectory: folder.appendingPathComponent("out"))
        request.measureQuality = true
        let report = try Transcoder().run(request)
        #expect(report.renditions.map(\.name) == ["478p", "360p"])

        for rendition in report.renditions {
            let quality = try #require(rendition.quality)
            let directory = request.outputDirectory.appendingPathComponent("video/\(rendition.name)")
            var bytes = try Data(contentsOf: directory.appendingPathComponent("init.mp4"))
            for number in 1...rendition.segments {
                bytes.append(try Data(contentsOf: directory.appendingPathComponent("seg-\(number).m4s")))
            }
            let joined = folder.appendingPathComponent("\(rendition.name).mp4")
            try bytes.write(to: joined)
            // The master scaled the way Strata scales it (bicubic, accurate rounding) to the rendition's size.
            let reference = "[1]scale=\(rendition.width):\(rendition.height):flags=bicubic+accurate_rnd,format=yuv420p[ref]"
            for (filter, prefix) in [("psnr", "PSNR"), ("ssim", "SSIM")] {
                let result = try ToolRunner.run(ffmpeg, ["-hide_banner", "-i", joined.path, "-i", master,
                                                         "-lavfi", "\(reference);[0][ref]\(filter)", "-f", "null", "-"])
                #expect(result.succeeded, "\(result.stderr)")
                let values = summary(result.stderr, prefix)
                if filter == "psnr" {
                    let average = try #require(values["average"]), luma = try #require(values["y"])
                    #expect(abs(quality.psnr - average) < 0.05, "\(rendition.name): Strata \(quality.psnr) dB, FFmpeg 8 \(average) dB")
                    #expect(abs(quality.psnrY - luma) < 0.05, "\(rendition.name): Strata Y \(quality.psnrY) dB, FFmpeg 8 \(luma) dB")
                } else {
                    let all = try #require(values["All"]), luma = try #require(values["Y"])
                    #expect(abs(quality.ssim - all) < 0.0005, "\(rendition.name): Strata SSIM \(quality.ssim), FFmpeg 8 \(all)")
                    #expect(abs(quality.ssimY - luma) < 0.0005, "\(rendition.name): Strata SSIM Y \(quality.ssimY), FFmpeg 8 \(luma)")
                }
            }
            #expect(quality.frames == 120)
        }
    }
}

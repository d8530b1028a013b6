import Foundation
import StrataProfiles
@testable import StrataMedia
import Testing
import TestSupport

/// The smart-crop analysis reads an HDR master's own luma (no tone mapping): the subject is still found.
@Suite("Smart-crop analysis of an HDR master", .serialized)
struct SubjectAnalysisHDRTests {
    /// The sliding-block master graded to HEVC Main 10 BT.2020 PQ (SDR white at 203 cd/m², ITU-R BT.2408).
    static let slidingBlockPQ = TestMasters.Recipe(
        name: "smartcrop-sliding-pq",
        arguments: SmartCropMasters.slidingBlock.arguments.prefix { $0 != "-c:v" }.map {
            $0.replacingOccurrences(of: "concat=n=2:v=1:a=0[v]", with: "concat=n=2:v=1:a=0,"
                + "zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=smpte2084:m=bt2020nc:p=bt2020:r=tv:npl=203,format=yuv420p10le[v]")
        } + [
            "-ac", "2", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le",
            "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc", "-c:a", "aac",
        ])

    @Test("on a 10-bit PQ master the window keeps the moving subject in frame and jumps at the cut")
    func followsTheSubjectInPQ() throws {
        let master = try TestMasters.path(Self.slidingBlockPQ)
        let folder = try makeTemporaryDirectory("smartcrop-pq")
        defer { try? FileManager.default.removeItem(at: folder) }
        let request = TranscodeRequest(masterPath: master, profile: try ProfileParser.parse(SmartCropMasters.profile, source: "test"),
                                       outputDirectory: folder.appendingPathComponent("out"))
        let report = try Transcoder().run(request)
        #expect(report.dynamicRange?.master == "PQ" && report.dynamicRange?.renditions == "SDR", "the renditions are still tone-mapped")
        let data = try Data(contentsOf: request.outputDirectory.appendingPathComponent("crops/vertical/path.json"))
        let file = try JSONDecoder().decode(SmartCropTranscodeTests.PathFile.self, from: data)
        #expect(file.windows.count == SmartCropMasters.frames)
        #expect(file.shotStarts.count == 2 && abs(file.shotStarts[1] - SmartCropMasters.cutFrame) <= 1, "\(file.shotStarts)")
        let inside = file.windows.enumerated().filter { number, window in
            let subject = SmartCropMasters.subject(number)
            return Double(window[0]) <= subject.x && subject.x <= Double(window[0] + window[2])
                && Double(window[1]) <= subject.y && subject.y <= Double(window[1] + window[3])
        }.count
        #expect(Double(inside) >= 0.98 * Double(file.windows.count), "subject inside in \(inside) of \(file.windows.count) frames")
    }
}

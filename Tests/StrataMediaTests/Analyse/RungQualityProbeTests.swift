import FFmpegBridge
import Foundation
import Logging
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

@Suite("Per-title quality probe", .serialized)
struct RungQualityProbeTests {
    @Test("a long master is probed in 8 evenly spread GOPs; lower CRFs measure more bits and PSNR; the search ends for a reason")
    func sampled() throws {
        let master = try TestMasters.path(TestMasters.threeMinutes)  // 320×180 at 15 fps, 180 s: 90 GOPs of 2 s
        let profile = EncodingProfile(name: "probe", renditions: [
            RenditionSpec(name: "180p", height: 180, bitrate: 300_000, maxrate: 330_000, bufsize: 600_000),
        ])
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        stream.displayWidth = 320
        stream.displayHeight = 180
        stream.exactFrameRate = Rational(15, 1)
        let plan = try LadderPlan(profile: profile, video: stream)
        let measured = try RungQualityProbe.measure(masterPath: master, masterSeconds: 180, plan: plan, profile: profile,
                                                    scaling: .bicubic, maximumPSNRLoss: 0.3, threads: 2,
                                                    logger: Logger(label: "test"))
        // Every 12th GOP: 8 GOPs of 30 pictures.
        #expect(abs(measured.analysedSeconds - 16) < 0.01, "\(measured.analysedSeconds)")
        let curve = try #require(measured.curves["180p"])
        #expect(curve.fixed.psnr > 30 && curve.fixed.psnr < 100, "\(curve.fixed)")
        // The fixed rate's bits: 1-pass ABR lands near the profile's 300k over 16 s.
        #expect(curve.fixed.bitRate > 150_000 && curve.fixed.bitRate < 400_000, "\(curve.fixed)")
        #expect(!curve.points.isEmpty && curve.points.count <= RungQualityProbe.maximumPasses)
        for (lower, higher) in zip(curve.points, curve.points.dropFirst()) {
            #expect(lower.bitRate > higher.bitRate && lower.psnr > higher.psnr - 0.05, "CRF \(lower) vs \(higher)")
        }
        // Either the search is over (a probe landed, or more bits would not help), or it used every pass.
        let over = RungQualityProbe.nextCRF(curve, loss: 0.3, probedWhole: false) == nil
        #expect(over || curve.points.count == RungQualityProbe.maximumPasses, "\(curve.points)")
    }
}

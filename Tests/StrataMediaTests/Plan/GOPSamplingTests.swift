@testable import StrataMedia
import Testing

@Suite("GOP sampling for analysis passes")
struct GOPSamplingTests {
    @Test("a short master is sampled whole, in one pass")
    func whole() {
        let sampling = GOPSampling(masterSeconds: 8, frameRate: 30, gopFrames: 60, maximumGOPs: 8)
        #expect(sampling.coversWholeMaster && sampling.ranges == nil && sampling.totalGOPs == 4)
        #expect((0..<240).allSatisfy(sampling.samples))
        #expect(sampling.startsGOP(0) && sampling.startsGOP(180) && !sampling.startsGOP(61))
    }

    @Test("a long master is sampled in evenly spread GOPs, each its own range; the last ranges run to the end")
    func spread() {
        // 180 s at 15 fps, 2 s GOPs: 90 GOPs, every 12th.
        let sampling = GOPSampling(masterSeconds: 180, frameRate: 15, gopFrames: 30, maximumGOPs: 8)
        #expect(sampling.stride == 12)
        let ranges = sampling.ranges ?? []
        #expect(ranges.map(\.first) == [0, 360, 720, 1080, 1440, 1800, 2160, 2520])
        #expect(ranges.allSatisfy { $0.end == $0.first + 30 })
        #expect(sampling.samples(2520 + 29) && !sampling.samples(2550) && !sampling.samples(30))
        // 10 GOPs, every 2nd: the one at GOP 8 is among the last two, so it is read to the end of the video.
        let short = GOPSampling(masterSeconds: 20, frameRate: 30, gopFrames: 60, maximumGOPs: 8)
        #expect(short.ranges?.map(\.first) == [0, 120, 240, 360, 480])
        #expect(short.ranges?.last?.end == nil && short.ranges?.first?.end == 60)
    }
}

/// Which GOPs of a master an analysis pass encodes: every one for a short master, otherwise `maximumGOPs`
/// spread evenly (every `stride`-th), each starting with a keyframe as in the package.
struct GOPSampling: Sendable, Hashable {
    /// Frames per GOP at the plan's frame rate.
    let gopFrames: Int
    let totalGOPs: Int
    /// 1 when every GOP is sampled.
    let stride: Int

    init(masterSeconds: Double, frameRate: Double, gopFrames: Int, maximumGOPs: Int) {
        self.gopFrames = max(gopFrames, 1)
        totalGOPs = max(Int((masterSeconds * frameRate / Double(self.gopFrames)).rounded(.up)), 1)
        stride = totalGOPs <= maximumGOPs ? 1 : Int((Double(totalGOPs) / Double(maximumGOPs)).rounded(.up))
    }

    var coversWholeMaster: Bool { stride == 1 }

    /// Whether output frame `number` belongs to a sampled GOP.
    func samples(_ number: Int) -> Bool { (number / gopFrames) % stride == 0 }

    /// Whether output frame `number` starts a GOP (a keyframe in the package).
    func startsGOP(_ number: Int) -> Bool { number % gopFrames == 0 }

    /// The frame ranges to decode: nil for the whole master in one pass; otherwise one per sampled GOP, the last
    /// two GOPs' open-ended, so that a master shorter than its container says still ends cleanly.
    var ranges: [FrameRange]? {
        guard !coversWholeMaster else { return nil }
        return Swift.stride(from: 0, to: totalGOPs, by: stride).map { gop in
            FrameRange(first: gop * gopFrames, end: gop + 2 < totalGOPs ? (gop + 1) * gopFrames : nil)
        }
    }
}

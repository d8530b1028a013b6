import FFmpegBridge
import StrataProfiles

/// What the thumbnail stage makes of one master under a profile: the poster's size and candidate
/// frames, and the storyboard's tiles. Sizes are upright with square pixels, like the renditions.
struct ThumbnailPlan: Sendable {
    struct Poster: Sendable, Hashable {
        var width: Int
        var height: Int
        /// Output frame numbers scored for the poster.
        var candidateFrames: Set<Int>
    }

    var poster: Poster?
    var storyboard: StoryboardLayout?
    var framesPerSecond: Double
    var rotation: QuarterTurn
    /// Size (as decoded, before any turn) of the small copy a poster candidate is scored on.
    var analysisWidth: Int
    var analysisHeight: Int

    /// Posters are the top rung's size, but no longer than this on their long side.
    static let posterLongSide = 1280
    /// Poster candidates: this many frames, this far apart, from the poster time on.
    static let posterCandidates = 8
    static let posterCandidateSpacing = 0.25
    /// Long side of the copy scored for the poster: enough to tell sharp from blurred, cheap to measure.
    static let analysisLongSide = 320

    /// - Parameter expectedDuration: the master's length from its container, if known.
    /// - Returns: nil when the profile wants neither poster nor storyboard.
    init?(spec: ThumbnailSpec, ladder: LadderPlan, expectedDuration: Double?) {
        guard spec.poster || spec.storyboard,
              let top = ladder.renditions.max(by: { $0.width * $0.height < $1.width * $1.height }) else { return nil }
        framesPerSecond = ladder.frameRate.doubleValue
        rotation = ladder.rotation
        let (width, height) = (Double(top.width), Double(top.height))
        let posterScale = min(1, Double(ThumbnailPlan.posterLongSide) / max(width, height))
        let posterSize = LadderPlan.evenSize(width: width * posterScale, height: height * posterScale)
        let analysisScale = min(1, Double(ThumbnailPlan.analysisLongSide) / max(width, height))
        let analysis = LadderPlan.evenSize(width: width * analysisScale, height: height * analysisScale)
        (analysisWidth, analysisHeight) = rotation.swapsDimensions ? (analysis.height, analysis.width) : (analysis.width, analysis.height)
        if spec.poster {
            let start = ThumbnailPlan.posterStart(spec: spec, expectedDuration: expectedDuration)
            let frames = (0..<ThumbnailPlan.posterCandidates).map {
                Int(((start + Double($0) * ThumbnailPlan.posterCandidateSpacing) * framesPerSecond + 1e-6).rounded(.down))
            }
            poster = Poster(width: posterSize.width, height: posterSize.height, candidateFrames: Set(frames))
        }
        if spec.storyboard {
            let tileWidth = min(spec.tileWidth, posterSize.width)
            let tileHeight = LadderPlan.evenSize(width: Double(tileWidth), height: Double(tileWidth) * height / width).height
            storyboard = StoryboardLayout(tileWidth: tileWidth, tileHeight: tileHeight, intervalSeconds: spec.intervalSeconds)
        }
    }

    /// The same plan for pictures that are already upright (decoded from a rendition rather than the master).
    var forUprightPictures: ThumbnailPlan {
        var plan = self
        if rotation.swapsDimensions { (plan.analysisWidth, plan.analysisHeight) = (analysisHeight, analysisWidth) }
        plan.rotation = .none
        return plan
    }

    /// Where the poster candidates start: the profile's time, else 10% of the duration up to a cap;
    /// moved earlier when the candidates would run past the end of a master of known length.
    static func posterStart(spec: ThumbnailSpec, expectedDuration: Double?) -> Double {
        let window = Double(posterCandidates - 1) * posterCandidateSpacing
        var start = spec.posterSeconds ?? min(0.1 * (expectedDuration ?? 0), ThumbnailSpec.defaultPosterSecondsCap)
        if let expectedDuration { start = min(start, max(0, expectedDuration - window - posterCandidateSpacing)) }
        return start
    }
}

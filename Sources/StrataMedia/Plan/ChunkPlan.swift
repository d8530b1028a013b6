import FFmpegBridge
import Foundation
import StrataManifest

/// A run of the master's output frames: `[first, end)`, or from `first` to wherever the video ends.
public struct FrameRange: Codable, Sendable, Equatable {
    public var first: Int
    /// The frame after the last one; nil for "to the end of the video".
    public var end: Int?

    public init(first: Int, end: Int?) {
        self.first = first
        self.end = end
    }
}

/// How a long master is cut into chunks that encode independently, on different workers.
///
/// Chunks are runs of whole segments, so every chunk starts at a segment boundary, where every rung already has
/// an IDR frame: with closed GOPs (libx264 `open-gop` off, as Strata encodes) no picture of a chunk refers to one
/// of another, and the chunks' segments joined in order are the track a single run would write. Every chunk uses
/// the same presentation offset, chosen once here for all of them.
public struct ChunkPlan: Codable, Sendable, Equatable {
    /// One unit of video work: its frames, and where its segments and fragments sit in each track.
    public struct Chunk: Codable, Sendable, Equatable {
        public var index: Int
        public var frames: FrameRange
        /// Segments before this chunk (0-based index of its first segment).
        public var firstSegment: Int
        /// Keyframes (fragments) before this chunk.
        public var firstFragment: Int

        var part: TrackPart { TrackPart(firstSegment: firstSegment, firstFragment: firstFragment) }
    }

    public var frameRateNumerator: Int
    public var frameRateDenominator: Int
    /// Frames every track's timestamps are shifted by (B-frame delay and AAC priming), the same in every chunk.
    public var offsetFrames: Int64
    /// The video's length as the container states it, when planned.
    public var masterSeconds: Double
    /// The frame the video is expected to end before: `masterSeconds` in whole frames. The audio, encoded beside the
    /// chunks, is cut or padded to it; the assembly checks it against where the last chunk really ended.
    public var expectedEndFrame: Int
    public var chunks: [Chunk]
    /// The ladder as the plan decided it, so every chunk encodes the same rungs at the same rates: the rungs kept
    /// (per-title analysis may leave some out), their rate decisions, and what the analysis found.
    public var renditions: [String] = []
    public var rateControl: [String: RateControlFacts] = [:]
    public var perTitle: PerTitleFacts?

    var frameRate: Rational { Rational(Int32(frameRateNumerator), Int32(frameRateDenominator)) }

    /// Chunks of `segmentsPerChunk` segments over a master of `masterSeconds`; a last chunk shorter than half
    /// the others joins the one before it, so no worker gets a sliver.
    init(schedule: KeyframeSchedule, masterSeconds: Double, segmentsPerChunk: Int, offsetFrames: Int64) {
        frameRateNumerator = Int(schedule.frameRate.numerator)
        frameRateDenominator = Int(schedule.frameRate.denominator)
        self.offsetFrames = offsetFrames
        self.masterSeconds = masterSeconds
        expectedEndFrame = Int((masterSeconds * schedule.frameRate.doubleValue).rounded())
        let size = max(1, segmentsPerChunk)
        var starts = [0]
        while true {
            let next = starts.last! + size
            // The chunk after `next` must still hold at least half a chunk of the master.
            let remaining = masterSeconds - schedule.segmentStartSeconds(next)
            guard remaining > schedule.segmentStartSeconds(next + size / 2) - schedule.segmentStartSeconds(next) else { break }
            starts.append(next)
        }
        chunks = starts.enumerated().map { index, segment in
            let end = index + 1 < starts.count ? schedule.segmentStart(starts[index + 1]) : nil
            return Chunk(index: index, frames: FrameRange(first: schedule.segmentStart(segment), end: end),
                         firstSegment: segment, firstFragment: schedule.firstKeyframe(ofSegment: segment))
        }
    }

    /// This plan, keeping `ladder`'s rungs and rate decisions for every chunk.
    func keeping(_ ladder: LadderPlan) -> ChunkPlan {
        var plan = self
        plan.renditions = ladder.renditions.map(\.spec.name)
        plan.rateControl = Dictionary(ladder.renditions.compactMap { rung in rung.rateControl.map { (rung.spec.name, $0) } },
                                      uniquingKeysWith: { $1 })
        plan.perTitle = ladder.perTitle
        return plan
    }

    /// `plan` (the profile's ladder for the master, as every unit derives it) with the rungs and rates decided here.
    func decided(_ plan: LadderPlan) -> LadderPlan {
        var decided = plan
        decided.renditions = renditions.compactMap { name in
            plan.renditions.first { $0.spec.name == name }.map { rung in
                var rung = rung
                rung.rateControl = rateControl[name]
                return rung
            }
        }
        decided.perTitle = perTitle
        return decided
    }
}

import FFmpegBridge

/// Where keyframes and segment boundaries fall, in output frame numbers. Every rendition uses the
/// same schedule, so all rungs share identical segment boundaries (CMAF switching sets).
///
/// With `fastStart` the first segment is a single GOP and the second holds the rest of the first full
/// segment, so a player can start after one GOP; from the third segment on, boundaries are the profile's.
struct KeyframeSchedule: Sendable {
    let frameRate: Rational
    let gopSeconds: Double
    let gopsPerSegment: Int
    var fastStart = false

    /// True when the first full segment is split into a one-GOP segment and the rest.
    private var splitsFirst: Bool { fastStart && gopsPerSegment > 1 }
    /// Keyframes every `maxKeyframeDistance` frames exactly, for encoders that only place keyframes by a fixed
    /// intra period (SVT-AV1); differs from the default only when a GOP is not a whole number of frames (29.97 fps).
    var wholeFrameGOPs = false

    /// Frame number of the `index`-th keyframe: the first frame at or after `index × gopSeconds` (or a whole-frame multiple).
    func keyframe(_ index: Int) -> Int {
        if wholeFrameGOPs { return index * maxKeyframeDistance }
        let exact = Double(index) * gopSeconds * frameRate.doubleValue
        return Int((exact - 1e-6).rounded(.up))
    }

    /// Frame number where segment `index` (0-based) starts.
    func segmentStart(_ index: Int) -> Int { keyframe(firstKeyframe(ofSegment: index)) }

    /// The index of the keyframe segment `index` (0-based) starts with: how many keyframes (fragments) come before it.
    func firstKeyframe(ofSegment index: Int) -> Int {
        guard splitsFirst, index > 0 else { return index * gopsPerSegment }
        return index == 1 ? 1 : (index - 1) * gopsPerSegment
    }

    /// Seconds from the start of the presentation to segment `index`.
    func segmentStartSeconds(_ index: Int) -> Double { Double(segmentStart(index)) / frameRate.doubleValue }

    /// True when frame `frame` must be an IDR frame.
    func isKeyframe(_ frame: Int) -> Bool {
        keyframeIndex(at: frame) != nil
    }

    /// The segment that starts at `frame`, if one does.
    func segmentIndex(startingAt frame: Int) -> Int? {
        guard let index = keyframeIndex(at: frame) else { return nil }
        if splitsFirst && index == 1 { return 1 }
        guard index % gopsPerSegment == 0 else { return nil }
        return index / gopsPerSegment + (splitsFirst && index > 0 ? 1 : 0)
    }

    /// Longest distance between keyframes, in frames: the encoder's own keyframe interval, so it never adds one early.
    var maxKeyframeDistance: Int { Int((gopSeconds * frameRate.doubleValue - 1e-6).rounded(.up)) }

    private func keyframeIndex(at frame: Int) -> Int? {
        if wholeFrameGOPs { return frame % maxKeyframeDistance == 0 ? frame / maxKeyframeDistance : nil }
        let estimate = Int(Double(frame) / (gopSeconds * frameRate.doubleValue))
        for index in max(0, estimate - 1)...(estimate + 1) where keyframe(index) == frame {
            return index
        }
        return nil
    }
}

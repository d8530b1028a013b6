/// Where the subject is in every frame of one shot, filled in and smoothed using the whole shot (look-ahead).
enum SubjectTrack {
    /// Half-width of the centred moving average, in seconds.
    static let smoothingSeconds = 0.2

    /// The subject's centre in each frame of `shot`, a slice of a whole master's saliency.
    ///
    /// Frames where something moved follow the motion; frames in between hold the nearest moving frame's
    /// centre (a subject that pauses is still there). A shot where nothing moves keeps the median centre of
    /// its detail: a static subject gets a static point. The shot's first frame compares against another
    /// shot, so its motion is ignored.
    static func centres(_ shot: ArraySlice<FrameSaliency>, frameRate: Double) -> [RelativePoint] {
        let frames = Array(shot)
        guard !frames.isEmpty else { return [] }
        var known: [RelativePoint?] = frames.map(\.motion)
        known[0] = nil
        guard known.contains(where: { $0 != nil }) else {
            let median = RelativePoint(x: median(frames.map(\.detail.x)), y: median(frames.map(\.detail.y)))
            return Array(repeating: median, count: frames.count)
        }
        var filled = [RelativePoint](repeating: RelativePoint(x: 0.5, y: 0.5), count: frames.count)
        var last: RelativePoint? = known.first { $0 != nil }!
        for index in frames.indices {
            if let point = known[index] { last = point }
            filled[index] = last!
        }
        let radius = max(0, Int((smoothingSeconds * frameRate).rounded()))
        return movingAverage(filled, radius: radius)
    }

    static func movingAverage(_ points: [RelativePoint], radius: Int) -> [RelativePoint] {
        guard radius > 0 else { return points }
        return points.indices.map { index in
            let range = max(0, index - radius)...min(points.count - 1, index + radius)
            let count = Double(range.count)
            return RelativePoint(x: range.reduce(0) { $0 + points[$1].x } / count, y: range.reduce(0) { $0 + points[$1].y } / count)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0.5 : sorted[sorted.count / 2]
    }
}

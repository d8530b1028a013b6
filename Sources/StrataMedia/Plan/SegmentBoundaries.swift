/// Where media segments start on the presentation clock (seconds). Audio and captions cut where the
/// video does, whether the video is being encoded now or was packaged before.
struct SegmentBoundaries: Sendable {
    private let start: @Sendable (Int) -> Double

    /// The boundaries of a video being encoded with `schedule`.
    init(schedule: KeyframeSchedule) {
        start = { schedule.segmentStartSeconds($0) }
    }

    /// The boundaries of a packaged video; there are no segments after the last one.
    init(starts: [Double]) {
        start = { $0 < starts.count ? starts[$0] : .infinity }
    }

    /// Seconds from presentation time zero to the start of segment `index` (0-based).
    func start(of index: Int) -> Double { start(index) }
}

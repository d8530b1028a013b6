/// Where shots change: frames whose brightness histogram jumps from the previous frame's.
enum ShotCuts {
    /// Histogram L1 distance (0…2) above which a frame starts a new shot. A subject moving over a scene moves
    /// well under 0.2; a cut between different scenes moves most of the mass (AutoFlip's shot-boundary
    /// calculator thresholds a histogram distance the same way).
    static let threshold = 0.5

    /// Frame numbers that start a shot, always including 0.
    static func starts(_ frames: [FrameSaliency]) -> [Int] {
        guard !frames.isEmpty else { return [] }
        return [0] + frames.indices.dropFirst().filter { frames[$0].histogramChange > threshold }
    }
}

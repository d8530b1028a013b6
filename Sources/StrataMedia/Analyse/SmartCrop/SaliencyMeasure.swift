/// Where the interesting content of one frame is, measured on its small luma copy.
///
/// Two cues, as in AutoFlip's signal fusion: motion against the previous frame (what changes is what a viewer
/// follows) and local contrast above the frame's average (detail stands out from flat or uniformly busy areas).
struct FrameSaliency: Sendable, Hashable {
    /// Centre of the moving content, when enough of the picture moved to trust it.
    var motion: RelativePoint?
    /// Centre of the above-average detail; the fallback while nothing moves.
    var detail: RelativePoint
    /// Share of the picture that moved (0…1).
    var movingShare: Double
    /// L1 distance between this frame's brightness histogram and the previous frame's (0…2).
    var histogramChange: Double
}

/// Measures `FrameSaliency` frame after frame.
struct SaliencyMeasure {
    /// Brightness differences up to this are noise (compression, grain), not motion.
    static let motionNoiseFloor = 10
    /// Below this share of moving samples the motion centre is not trusted.
    static let minimumMovingShare = 0.002

    private var previous: LumaPicture?
    private var previousHistogram: [Double]?

    /// The saliency of `picture`, the frame after the one measured last.
    mutating func measure(_ picture: LumaPicture) -> FrameSaliency {
        let histogram = picture.histogram()
        let change = previousHistogram.map { zip($0, histogram).reduce(0) { $0 + abs($1.0 - $1.1) } } ?? 0
        var motion: RelativePoint?
        var movingShare = 0.0
        if let previous, previous.width == picture.width, previous.height == picture.height {
            var weights = [Double](repeating: 0, count: picture.samples.count)
            var moving = 0
            for index in weights.indices {
                let difference = abs(Int(picture.samples[index]) - Int(previous.samples[index])) - Self.motionNoiseFloor
                if difference > 0 {
                    weights[index] = Double(difference)
                    moving += 1
                }
            }
            movingShare = Double(moving) / Double(max(weights.count, 1))
            if movingShare >= Self.minimumMovingShare {
                motion = Self.robustCentre(weights, width: picture.width, height: picture.height)
            }
        }
        let detail = Self.robustCentre(Self.detailWeights(picture), width: picture.width, height: picture.height)
            ?? RelativePoint(x: 0.5, y: 0.5)
        previous = picture
        previousHistogram = histogram
        return FrameSaliency(motion: motion, detail: detail, movingShare: movingShare, histogramChange: change)
    }

    /// Gradient magnitude above the frame's mean: uniform texture cancels out, a detailed object stays.
    static func detailWeights(_ picture: LumaPicture) -> [Double] {
        let width = picture.width, height = picture.height
        var gradient = [Double](repeating: 0, count: width * height)
        guard width > 2, height > 2 else { return gradient }
        var sum = 0.0
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let value = Double(abs(picture[x + 1, y] - picture[x - 1, y]) + abs(picture[x, y + 1] - picture[x, y - 1]))
                gradient[y * width + x] = value
                sum += value
            }
        }
        let mean = sum / Double((width - 2) * (height - 2))
        return gradient.map { max(0, $0 - mean) }
    }

    /// The weighted centre of `weights`, refined three times within a neighbourhood of the last estimate so that a
    /// second, weaker region (another subject, stray noise) pulls the centre less; nil when all weights are 0.
    static func robustCentre(_ weights: [Double], width: Int, height: Int) -> RelativePoint? {
        var centre: (x: Double, y: Double)?
        var radius = (x: Double(width), y: Double(height))
        for _ in 0..<4 {
            var total = 0.0, sumX = 0.0, sumY = 0.0
            for y in 0..<height {
                if let centre, abs(Double(y) - centre.y) > radius.y { continue }
                for x in 0..<width {
                    if let centre, abs(Double(x) - centre.x) > radius.x { continue }
                    let weight = weights[y * width + x]
                    total += weight
                    sumX += weight * Double(x)
                    sumY += weight * Double(y)
                }
            }
            guard total > 0 else { break }
            centre = (sumX / total, sumY / total)
            radius = (radius.x / 2, radius.y / 2)
        }
        guard let centre else { return nil }
        return RelativePoint(x: (centre.x + 0.5) / Double(width), y: (centre.y + 0.5) / Double(height))
    }
}

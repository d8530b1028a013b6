import Foundation

/// One probe encode of a rung: its bit rate and PSNR against the master scaled to the rung.
struct QualityPoint: Sendable, Hashable {
    /// x264 CRF, or nil for the rung's fixed profile rate.
    var crf: Double?
    /// Bits per second.
    var bitRate: Double
    /// dB, all planes.
    var psnr: Double
}

/// How one rung's PSNR and bits move with x264's CRF (capped by the rung's VBV ceiling), next to what the
/// profile's fixed rate gives: the probe measures points, this finds the CRF for a PSNR between them.
///
/// PSNR falls nearly linearly with CRF and bits nearly exponentially, so both are interpolated piecewise
/// linearly in CRF (bits in log scale), and outside the measured points extended along the nearest pair's slope.
struct RungQualityCurve: Sendable, Hashable {
    /// x264 accepts CRF 0…51; below 1 is near-lossless and above 40 useless for a ladder.
    static let crfRange = 1.0...40.0
    /// PSNR change per CRF step (dB) assumed while only one point is measured.
    static let assumedSlope = 0.4
    /// Slopes outside this range (dB per CRF step) are measurement noise, not the content.
    static let plausibleSlopes = 0.05...2.0

    var name: String
    var fixed: QualityPoint
    /// Capped-CRF points, in increasing CRF.
    private(set) var points: [QualityPoint] = []

    init(name: String, fixed: QualityPoint) {
        self.name = name
        self.fixed = fixed
    }

    mutating func add(_ point: QualityPoint) {
        points.append(point)
        points.sort { ($0.crf ?? 0) < ($1.crf ?? 0) }
    }

    /// The measured point closest to `psnr`.
    func nearest(to psnr: Double) -> QualityPoint? {
        points.min { abs($0.psnr - psnr) < abs($1.psnr - psnr) }
    }

    /// PSNR gained per CRF step lower (dB) near `psnr`, unclamped: between the point nearest it and the closest
    /// other point at least one CRF step away (closer ones when there is none), so that run-to-run noise between
    /// neighbouring CRFs does not pass for the slope. Near zero or negative where the VBV ceiling holds the
    /// encoder; nil with one point.
    func slope(around psnr: Double) -> Double? {
        guard let near = nearest(to: psnr), let crf = near.crf else { return nil }
        let others = points.filter { $0.crf != crf }
        let distant = others.filter { abs(($0.crf ?? 0) - crf) >= 1 }
        guard let other = (distant.isEmpty ? others : distant).min(by: { abs(($0.crf ?? 0) - crf) < abs(($1.crf ?? 0) - crf) }),
              let otherCRF = other.crf else { return nil }
        let (lower, higher) = crf < otherCRF ? (near, other) : (other, near)
        return (lower.psnr - higher.psnr) / ((higher.crf ?? 0) - (lower.crf ?? 0))
    }

    /// The CRF expected to give `psnr` (rounded to a tenth, within `crfRange`); nil before any point is measured.
    func crf(forPSNR psnr: Double) -> Double? {
        guard let pair = pair(around: psnr) else { return nil }
        let (a, b) = pair
        let crf: Double
        if let b, let ca = a.crf, let cb = b.crf, cb != ca {
            let slope = min(max((a.psnr - b.psnr) / (cb - ca), Self.plausibleSlopes.lowerBound), Self.plausibleSlopes.upperBound)
            crf = ca + (a.psnr - psnr) / slope
        } else {
            crf = (a.crf ?? 0) + (a.psnr - psnr) / Self.assumedSlope
        }
        return ((min(max(crf, Self.crfRange.lowerBound), Self.crfRange.upperBound)) * 10).rounded() / 10
    }

    /// The bit rate and PSNR expected at `crf`, from the measured points.
    func predicted(atCRF crf: Double) -> (bitRate: Double, psnr: Double)? {
        guard let first = points.first else { return nil }
        guard points.count > 1 else { return (first.bitRate, first.psnr) }
        // The segment holding `crf`, or the end segment nearest to it.
        var index = 0
        while index < points.count - 2, crf > points[index + 1].crf! { index += 1 }
        let (a, b) = (points[index], points[index + 1])
        let span = b.crf! - a.crf!
        let t = span == 0 ? 0 : (crf - a.crf!) / span
        let bitRate = exp(log(a.bitRate) + (log(b.bitRate) - log(a.bitRate)) * t)
        return (bitRate, a.psnr + (b.psnr - a.psnr) * t)
    }

    /// The two points to interpolate between for `psnr`: the pair that brackets it, else the two nearest it;
    /// the second is nil when only one point is measured.
    private func pair(around psnr: Double) -> (QualityPoint, QualityPoint?)? {
        guard !points.isEmpty else { return nil }
        guard points.count > 1 else { return (points[0], nil) }
        for (a, b) in zip(points, points.dropFirst()) where min(a.psnr, b.psnr) <= psnr && psnr <= max(a.psnr, b.psnr) {
            return (a, b)
        }
        let byDistance = points.sorted { abs($0.psnr - psnr) < abs($1.psnr - psnr) }
        let (a, b) = (byDistance[0], byDistance[1])
        return (a.crf ?? 0) < (b.crf ?? 0) ? (a, b) : (b, a)
    }
}

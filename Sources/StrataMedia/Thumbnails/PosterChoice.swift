/// How a candidate poster frame looks, measured on a small copy of its luma (full range, 0…255).
struct FrameScore: Sendable, Hashable {
    /// Average brightness.
    var meanLuma: Double
    /// Standard deviation of the brightness: how much there is to see.
    var contrast: Double
    /// Variance of the Laplacian: high for crisp edges, low for blur, fades and flat colour.
    var sharpness: Double

    /// Below this average the picture reads as black (a fade, a slate, the dark before the first shot).
    static let darkestMeanLuma = 24.0
    /// Below this deviation the picture is one flat colour.
    static let flattestContrast = 8.0

    /// Black, or one flat colour: never a good poster while something else is on offer.
    var isBlank: Bool { meanLuma < FrameScore.darkestMeanLuma || contrast < FrameScore.flattestContrast }

    /// Scores a picture given as rows of luma samples (at least 3×3).
    init(luma rows: [[UInt8]]) {
        let height = rows.count, width = rows.first?.count ?? 0
        var sum = 0.0, sumOfSquares = 0.0
        for row in rows {
            for value in row {
                let v = Double(value)
                sum += v
                sumOfSquares += v * v
            }
        }
        let count = Double(max(width * height, 1))
        meanLuma = sum / count
        contrast = max(0, sumOfSquares / count - meanLuma * meanLuma).squareRoot()
        // The 4-neighbour Laplacian at every inner sample (the blur measure of Pech-Pacheco et al., 2000).
        var laplacianSum = 0.0, laplacianSquares = 0.0
        if width >= 3, height >= 3 {
            for y in 1..<(height - 1) {
                let above = rows[y - 1], row = rows[y], below = rows[y + 1]
                for x in 1..<(width - 1) {
                    let l = Double(Int(above[x]) + Int(below[x]) + Int(row[x - 1]) + Int(row[x + 1]) - 4 * Int(row[x]))
                    laplacianSum += l
                    laplacianSquares += l * l
                }
            }
        }
        let inner = Double(max((width - 2) * (height - 2), 1))
        let laplacianMean = laplacianSum / inner
        sharpness = max(0, laplacianSquares / inner - laplacianMean * laplacianMean)
    }

    /// True when this frame makes a better poster than `other`: not blank beats blank, then sharper wins.
    func isBetter(than other: FrameScore) -> Bool {
        if isBlank != other.isBlank { return !isBlank }
        return sharpness > other.sharpness
    }
}

/// Keeps the best poster candidate seen so far, and its time.
struct PosterChoice<Candidate> {
    private(set) var best: (candidate: Candidate, score: FrameScore, seconds: Double)?

    /// Offers a candidate; returns true when it became the best.
    @discardableResult
    mutating func consider(_ candidate: Candidate, score: FrameScore, seconds: Double) -> Bool {
        if let best, !score.isBetter(than: best.score) { return false }
        best = (candidate, score, seconds)
        return true
    }
}

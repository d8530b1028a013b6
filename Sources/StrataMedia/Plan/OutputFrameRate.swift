import FFmpegBridge

/// Chooses the constant frame rate every rendition is encoded at.
enum OutputFrameRate {
    /// Broadcast and camera rates, to which measured rates snap (a VFR phone clip averaging 29.6 fps becomes 30000/1001).
    static let standardRates: [Rational] = [
        Rational(24000, 1001), Rational(24, 1), Rational(25, 1), Rational(30000, 1001), Rational(30, 1),
        Rational(48, 1), Rational(50, 1), Rational(60000, 1001), Rational(60, 1), Rational(120, 1),
    ]

    /// The master's rate snapped to a standard one (within 3%), halved while above `maxFrameRate`.
    static func choose(average: Rational?, base: Rational?, maxFrameRate: Double) -> Rational {
        let measured = [average, base].compactMap { $0 }.first { $0.isValid && (1...240).contains($0.doubleValue) }
        var rate = measured.map(snap) ?? Rational(25, 1)
        while rate.doubleValue > maxFrameRate + 0.01 {
            rate = Rational(rate.numerator, rate.denominator * 2).reduced
        }
        return rate
    }

    static func snap(_ rate: Rational) -> Rational {
        let value = rate.doubleValue
        let nearest = standardRates.min { abs($0.doubleValue - value) < abs($1.doubleValue - value) }!
        if abs(nearest.doubleValue - value) / value <= 0.03 { return nearest }
        let milli = Int32((value * 1000).rounded())
        return Rational(milli, 1000).reduced
    }
}

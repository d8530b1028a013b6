import CFFmpeg

/// An exact fraction, used for time bases, frame rates and aspect ratios.
public struct Rational: Sendable, Hashable, Codable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ value: AVRational) {
        self.init(value.num, value.den)
    }

    var av: AVRational { AVRational(num: numerator, den: denominator) }

    /// False for 0/0, n/0 and the like, which FFmpeg uses for "unknown".
    public var isValid: Bool { numerator > 0 && denominator > 0 }

    public var doubleValue: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }

    /// 1/self.
    public var inverse: Rational { Rational(denominator, numerator) }

    /// The fraction in lowest terms.
    public var reduced: Rational {
        var num: Int32 = 0, den: Int32 = 0
        av_reduce(&num, &den, Int64(numerator), Int64(denominator), Int64(Int32.max))
        return Rational(num, den)
    }

    public var description: String { "\(numerator)/\(denominator)" }

    /// Rescales `value` expressed in units of `from` into units of `to`, rounding to nearest.
    public static func rescale(_ value: Int64, from: Rational, to: Rational) -> Int64 {
        av_rescale_q(value, from.av, to.av)
    }
}

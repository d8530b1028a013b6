import Foundation

/// Bit rates as operators write them: `5000k`, `2.8M`, `128000`.
public enum BitRate {
    /// Bits per second for `text`, or nil when it is not a bit rate.
    public static func parse(_ text: String) -> Int? {
        var number = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var multiplier = 1.0
        if let last = number.last, let factor = ["k": 1e3, "m": 1e6, "g": 1e9][String(last)] {
            multiplier = factor
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        let bits = (value * multiplier).rounded()
        return bits < 1e15 ? Int(bits) : nil
    }

    /// A short human form, e.g. `2800k` or `5M`.
    public static func format(_ bitsPerSecond: Int) -> String {
        if bitsPerSecond % 1_000_000 == 0 { return "\(bitsPerSecond / 1_000_000)M" }
        if bitsPerSecond % 1_000 == 0 { return "\(bitsPerSecond / 1_000)k" }
        return "\(bitsPerSecond)"
    }
}

import Foundation

/// Cue timing lines: `00:01:02,500 --> 00:01:04,000` (SubRip) and `01:02.500 --> 01:04.000 line:0` (WebVTT).
enum CueTiming {
    /// Seconds for a timestamp: `[hh:]mm:ss.ttt` (WebVTT) or `hh:mm:ss,ttt` (SubRip; a dot is tolerated).
    static func seconds(_ text: Substring, allowComma: Bool) -> Double? {
        let separators: Set<Character> = allowComma ? [",", "."] : ["."]
        guard let dot = text.lastIndex(where: { separators.contains($0) }) else { return nil }
        let fraction = text[text.index(after: dot)...]
        guard fraction.count == 3, fraction.allSatisfy(\.isASCII), let milliseconds = Int(fraction) else { return nil }
        let clock = text[..<dot].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(clock.count), clock.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        // A field too long for Int (e.g. 20 digits of minutes) is damage, not a shorter clock.
        let numbers = clock.compactMap { Int($0) }
        guard numbers.count == clock.count else { return nil }
        let (hours, minutes, secondsPart) = numbers.count == 3 ? (numbers[0], numbers[1], numbers[2]) : (0, numbers[0], numbers[1])
        guard minutes < 60, secondsPart < 60, clock.last!.count == 2, clock.count == 2 || clock[1].count == 2,
              hours < maximumHours else { return nil }
        return Double(hours * 3600 + minutes * 60 + secondsPart) + Double(milliseconds) / 1000
    }

    /// Splits a timing line into start, end and what follows the end time (cue settings).
    static func parse(_ line: String, allowComma: Bool) -> (start: Double, end: Double, rest: String)? {
        guard let arrow = line.range(of: "-->") else { return nil }
        let startText = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
        let after = line[arrow.upperBound...].drop { $0 == " " || $0 == "\t" }
        let endText = after.prefix { $0 != " " && $0 != "\t" }
        let rest = after.dropFirst(endText.count).trimmingCharacters(in: .whitespaces)
        guard let start = seconds(Substring(startText), allowComma: allowComma),
              let end = seconds(endText, allowComma: allowComma) else { return nil }
        return (start, end, rest)
    }

    /// Hours a timestamp may have: more is damage (and would overflow the millisecond clock).
    static let maximumHours = 100_000

    /// `hh:mm:ss.ttt`, as WebVTT files are written.
    static func format(_ seconds: Double) -> String {
        // Clamped, so a damaged time (NaN, huge) from a master's subtitle stream cannot trap.
        let milliseconds = Int(max(0, min(seconds * 1000, Double(maximumHours) * 3_600_000)).rounded())
        let hours = milliseconds / 3_600_000, minutes = milliseconds / 60_000 % 60
        let wholeSeconds = milliseconds / 1000 % 60, fraction = milliseconds % 1000
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(wholeSeconds, 2)).\(pad(fraction, 3))"
    }
}

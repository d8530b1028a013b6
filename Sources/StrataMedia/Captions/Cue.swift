/// One caption cue on the presentation clock.
struct Cue: Sendable, Hashable {
    /// Seconds from presentation time zero.
    var start: Double
    var end: Double
    /// WebVTT cue payload: lines separated by "\n", with `<i>`, `<b>`, `<u>` markup and `&amp;`-style escapes.
    var text: String
    /// WebVTT cue settings, e.g. "line:0" for a cue shown at the top; empty for the default position.
    var settings: String = ""
}

/// A caption file that cannot be used: which file, which line, and what is wrong.
struct CaptionError: Error, Sendable, Hashable, CustomStringConvertible {
    var file: String
    var line: Int?
    var reason: String

    var description: String {
        line.map { "captions '\(file)' line \($0): \(reason)" } ?? "captions '\(file)': \(reason)"
    }
}

/// Reading caption files as text: UTF-8 with or without a byte-order mark, CRLF, CR or LF line ends.
enum CaptionText {
    /// The file's lines, or an error naming the first line that is not UTF-8.
    static func lines(of bytes: [UInt8], file: String) throws(CaptionError) -> [String] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) {
            throw CaptionError(file: file, line: 1, reason: "the file is UTF-16; save it as UTF-8")
        }
        // UTF-8 never uses the byte 0x0A inside a character, so lines can be checked one by one.
        var lines: [String] = []
        for (index, raw) in body.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard let line = String(validating: raw, as: UTF8.self) else {
                throw CaptionError(file: file, line: index + 1, reason: "the text is not UTF-8; save the file as UTF-8")
            }
            // CRLF: drop the CR; a lone CR (old Mac files) also ends a line.
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
            lines += trimmed.split(separator: "\r", omittingEmptySubsequences: false).map(String.init)
        }
        return lines
    }

    /// Escapes text for a WebVTT cue payload (`&`, `<`, `>`).
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}

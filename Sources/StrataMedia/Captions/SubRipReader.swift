import Foundation

/// Reads SubRip (`.srt`) captions strictly: every problem is reported with its line number.
enum SubRipReader {
    static func cues(from bytes: [UInt8], file: String) throws(CaptionError) -> [Cue] {
        let lines = try CaptionText.lines(of: bytes, file: file)
        var cues: [Cue] = []
        var index = 0
        func fail(_ reason: String) -> CaptionError { CaptionError(file: file, line: index + 1, reason: reason) }
        while index < lines.count {
            if lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                index += 1
                continue
            }
            // An optional cue number, then the timing line.
            if !lines[index].contains("-->") {
                guard lines[index].trimmingCharacters(in: .whitespaces).allSatisfy(\.isNumber) else {
                    throw fail("expected a cue number or a timing line like '00:00:01,000 --> 00:00:02,500', got '\(lines[index])'")
                }
                index += 1
                guard index < lines.count, lines[index].contains("-->") else {
                    throw fail("expected a timing line like '00:00:01,000 --> 00:00:02,500' after the cue number")
                }
            }
            guard let timing = CueTiming.parse(lines[index], allowComma: true) else {
                throw fail("broken timestamp in '\(lines[index])'; expected hh:mm:ss,mmm --> hh:mm:ss,mmm")
            }
            guard timing.end > timing.start else {
                throw fail("the cue ends (\(CueTiming.format(timing.end))) before it starts (\(CueTiming.format(timing.start)))")
            }
            index += 1
            var text: [String] = []
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                text.append(lines[index])
                index += 1
            }
            let (payload, settings) = SubRipMarkup.webVTT(text)
            if !payload.isEmpty {
                cues.append(Cue(start: timing.start, end: timing.end, text: payload, settings: settings))
            }
        }
        guard !cues.isEmpty else { throw CaptionError(file: file, line: nil, reason: "the file holds no cues") }
        return cues.sorted { $0.start < $1.start }
    }
}

/// SubRip's HTML-like markup (`<i>`, `<b>`, `<u>`, `<font>`) and `{\anN}` positions, as WebVTT.
enum SubRipMarkup {
    static func webVTT(_ lines: [String]) -> (text: String, settings: String) {
        var settings = ""
        var joined = lines.joined(separator: "\n")
        if let range = joined.range(of: #"\{\\an([1-9])\}"#, options: .regularExpression) {
            settings = ASSDialogue.settings(alignment: Int(String(joined[range].dropFirst(4).prefix(1))) ?? 2)
            joined.removeSubrange(range)
        }
        var result = ""
        var rest = Substring(joined)
        while let open = rest.firstIndex(of: "<") {
            result += CaptionText.escape(rest[..<open])
            guard let close = rest[open...].firstIndex(of: ">") else {
                result += CaptionText.escape(rest[open...])
                rest = rest[rest.endIndex...]
                break
            }
            let tag = rest[rest.index(after: open)..<close].lowercased().trimmingCharacters(in: .whitespaces)
            let name = tag.hasPrefix("/") ? String(tag.dropFirst()) : tag
            if ["i", "b", "u"].contains(name) { result += "<\(tag)>" }  // others (font, …) are dropped, their text kept
            rest = rest[rest.index(after: close)...]
        }
        result += CaptionText.escape(rest)
        // A line left empty by removed markup would be a blank line, which ends a WebVTT cue.
        let lines = result.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
        return (lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines), settings)
    }
}

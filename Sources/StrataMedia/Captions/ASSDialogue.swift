import Foundation

/// Converts the ASS dialogue text FFmpeg's subtitle decoders produce (mov_text, subrip, webvtt, ass/ssa)
/// into a WebVTT payload: `{\i1}`/`{\b1}`/`{\u1}` become tags, `\N` a line break, `{\anN}` a position.
enum ASSDialogue {
    /// `event` is an ASS Dialogue line without its "Dialogue:" prefix as FFmpeg 5 stores it:
    /// "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text".
    static func webVTT(event: String) -> (text: String, settings: String) {
        let fields = event.split(separator: ",", maxSplits: 8, omittingEmptySubsequences: false)
        let text = fields.count == 9 ? fields[8] : Substring(event)
        var result = ""
        var settings = ""
        var open: [String] = []
        var index = text.startIndex
        func toggle(_ tag: String, on: Bool) {
            if on, !open.contains(tag) {
                result += "<\(tag)>"
                open.append(tag)
            } else if !on, let position = open.lastIndex(of: tag) {
                for inner in open[position...].reversed() { result += "</\(inner)>" }
                open.remove(at: position)
                for inner in open[position...] { result += "<\(inner)>" }
            }
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "{", let close = text[index...].firstIndex(of: "}") {
                for code in text[text.index(after: index)..<close].split(separator: "\\") {
                    switch code.first {
                    case "i" where code.count == 2: toggle("i", on: code.last != "0")
                    case "b" where code.count >= 2 && code.dropFirst().allSatisfy(\.isNumber): toggle("b", on: code.dropFirst() != "0")
                    case "u" where code.count == 2: toggle("u", on: code.last != "0")
                    case "a" where code.hasPrefix("an") && code.count == 3:
                        settings = ASSDialogue.settings(alignment: Int(String(code.last!)) ?? 2)
                    case "r":
                        // \r (or \rStyle) resets every override: what FFmpeg's mov_text decoder ends a styled run with.
                        for tag in open.reversed() { result += "</\(tag)>" }
                        open.removeAll()
                    default: break  // colours, fonts, karaoke, … have no WebVTT equivalent here
                    }
                }
                index = text.index(after: close)
            } else if character == "\n" || character == "\r" || character == "\r\n" {
                // A raw line end (WebVTT's are CR, LF and CRLF) is a break, never a blank line that ends the cue.
                result += "\n"
                index = text.index(after: index)
            } else if character == "\\", let next = text[text.index(after: index)...].first, "Nnh".contains(next) {
                result += next == "h" ? "\u{00A0}" : "\n"
                index = text.index(index, offsetBy: 2)
            } else {
                result += CaptionText.escape(String(character))
                index = text.index(after: index)
            }
        }
        for tag in open.reversed() { result += "</\(tag)>" }
        let lines = result.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return (lines.filter { !$0.isEmpty }.joined(separator: "\n"), settings)
    }

    /// WebVTT cue settings for an ASS numpad alignment (1–3 bottom, 4–6 middle, 7–9 top; left, centre, right).
    static func settings(alignment: Int) -> String {
        var parts: [String] = []
        switch alignment {
        case 7, 8, 9: parts.append("line:0")
        case 4, 5, 6: parts.append("line:50%")
        default: break
        }
        switch alignment {
        case 1, 4, 7: parts.append("align:start")
        case 3, 6, 9: parts.append("align:end")
        default: break
        }
        return parts.joined(separator: " ")
    }
}

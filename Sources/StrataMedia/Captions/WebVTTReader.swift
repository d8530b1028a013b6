import Foundation

/// Reads WebVTT (`.vtt`) captions strictly: a `WEBVTT` header, then cues; `NOTE`, `STYLE` and `REGION` blocks are skipped.
enum WebVTTReader {
    static func cues(from bytes: [UInt8], file: String) throws(CaptionError) -> [Cue] {
        let lines = try CaptionText.lines(of: bytes, file: file)
        guard let first = lines.first, first.hasPrefix("WEBVTT"),
              first.count == 6 || first.dropFirst(6).first == " " || first.dropFirst(6).first == "\t" else {
            throw CaptionError(file: file, line: 1, reason: lines.allSatisfy { $0.isEmpty } ? "the file is empty" : "missing the 'WEBVTT' header")
        }
        var index = 1
        while index < lines.count, !lines[index].isEmpty { index += 1 }  // header block
        var cues: [Cue] = []
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                index += 1
                continue
            }
            if line.hasPrefix("NOTE") || line == "STYLE" || line == "REGION" {
                while index < lines.count, !lines[index].isEmpty { index += 1 }
                continue
            }
            // An optional cue identifier, then the timing line.
            if !line.contains("-->") {
                index += 1
                guard index < lines.count, lines[index].contains("-->") else {
                    throw CaptionError(file: file, line: index, reason: "expected a timing line like '00:01.000 --> 00:02.500' after '\(line)'")
                }
            }
            guard let timing = CueTiming.parse(lines[index], allowComma: false) else {
                throw CaptionError(file: file, line: index + 1, reason: "broken timestamp in '\(lines[index])'; expected [hh:]mm:ss.ttt --> [hh:]mm:ss.ttt")
            }
            guard timing.end > timing.start else {
                throw CaptionError(file: file, line: index + 1, reason: "the cue ends (\(CueTiming.format(timing.end))) before it starts (\(CueTiming.format(timing.start)))")
            }
            index += 1
            var text: [String] = []
            // WebVTT §6.1: a line with "-->" ends the cue text; it is the next cue's timing line.
            while index < lines.count, !lines[index].isEmpty, !lines[index].contains("-->") {
                text.append(lines[index])
                index += 1
            }
            if !text.isEmpty {
                cues.append(Cue(start: timing.start, end: timing.end, text: text.joined(separator: "\n"), settings: timing.rest))
            }
        }
        guard !cues.isEmpty else { throw CaptionError(file: file, line: nil, reason: "the file holds no cues") }
        return cues.sorted { $0.start < $1.start }
    }
}

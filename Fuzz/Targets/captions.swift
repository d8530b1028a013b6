// fuzz-modules: StrataMedia
// Caption readers (SubRip, WebVTT, ASS dialogue lines) and the cue → WebVTT segmenter.
// Invariants: accepted cues are well formed (ordered, positive, non-empty, no blank or `-->` line in a payload);
// every cue list Strata writes as WebVTT reads back as the same cues, whole-track and per segment.
import Foundation
@testable import StrataMedia

@_cdecl("LLVMFuzzerTestOneInput")
public func captionsFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // ASS dialogue events come from FFmpeg's decoders, so any text reaches this path.
    if let event = String(validating: bytes, as: UTF8.self) {
        let (text, settings) = ASSDialogue.webVTT(event: event)
        checkPayload(text, "ASS dialogue \(event.debugDescription)")
        precondition(!settings.contains("\n"), "ASS settings span lines: \(settings.debugDescription)")
    }
    for cues in [try? SubRipReader.cues(from: bytes, file: "fuzz"), try? WebVTTReader.cues(from: bytes, file: "fuzz")] {
        guard let cues else { continue }
        checkCues(cues)
        checkRoundTrip(cues, header: "WEBVTT")
        checkSegments(cues)
    }
    return 0
}

/// A cue payload must keep its cue whole when written: no blank line (ends the cue), no `-->` (starts another).
func checkPayload(_ text: String, _ origin: @autoclosure () -> String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    precondition(!lines.contains { $0.isEmpty } || text.isEmpty, "blank line in payload from \(origin())")
    precondition(!text.contains("-->"), "'-->' in payload from \(origin())")
    precondition(!text.contains("\r"), "CR in payload from \(origin())")
}

func checkCues(_ cues: [Cue]) {
    precondition(!cues.isEmpty, "a reader accepted a file without cues")
    for (index, cue) in cues.enumerated() {
        precondition(cue.start.isFinite && cue.end.isFinite && cue.start >= 0 && cue.end > cue.start, "bad timing \(cue)")
        precondition(!cue.text.isEmpty, "empty cue \(cue)")
        checkPayload(cue.text, "cue \(cue)")
        precondition(!cue.settings.contains("\n") && !cue.settings.contains("\r"), "settings span lines \(cue)")
        if index > 0 { precondition(cues[index - 1].start <= cue.start, "cues out of order") }
    }
}

/// What Strata writes reads back as the same cues, times to the millisecond.
func checkRoundTrip(_ cues: [Cue], header: String) {
    let text = WebVTTSegmenter.render(cues, header: header)
    let reread: [Cue]
    do {
        reread = try WebVTTReader.cues(from: Array(text.utf8), file: "rendered")
    } catch {
        preconditionFailure("Strata's own WebVTT does not read back: \(error)\n\(text)")
    }
    let expected = cues.map { cue in
        Cue(start: (cue.start * 1000).rounded() / 1000, end: (cue.end * 1000).rounded() / 1000, text: cue.text,
            settings: cue.settings.trimmingCharacters(in: .whitespaces))
    }
    precondition(reread.count == expected.count, "round trip changed the cue count: \(expected) → \(reread)")
    for (a, b) in zip(expected, reread) {
        precondition(abs(a.start - b.start) < 0.0005 && abs(a.end - b.end) < 0.0005 && a.text == b.text && a.settings == b.settings,
                     "round trip changed a cue: \(a) → \(b)")
    }
}

/// Every HLS segment holds exactly the cues that overlap it, and reads back.
func checkSegments(_ cues: [Cue]) {
    let last = cues.map(\.end).max() ?? 0
    guard last < 1e7 else { return }
    let boundaries = stride(from: 0.0, through: last + 6, by: 6).map { $0 }
    for index in 0..<(boundaries.count - 1) where index < 50 {
        let start = boundaries[index], end = boundaries[index + 1]
        let inside = cues.filter { $0.start < end && $0.end > start }
        if inside.isEmpty { continue }
        checkRoundTrip(inside, header: "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000")
    }
}

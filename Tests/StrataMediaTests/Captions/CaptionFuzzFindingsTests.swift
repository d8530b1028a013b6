import Foundation
@testable import StrataMedia
import Testing

/// What `scripts/fuzz captions` found (issue 17); the minimised inputs are also in Fuzz/Regressions/captions.
@Suite("Caption fuzzing findings")
struct CaptionFuzzFindingsTests {
    /// Fuzz/Regressions/captions/webvtt-arrow-in-payload.vtt
    @Test("a line with '-->' ends a WebVTT cue's text (WebVTT §6.1): it is the next timing line, never payload")
    func arrowEndsCueText() throws {
        do {
            let cues = try WebVTTReader.cues(from: Array("WEBVTT\n\n0:05.000-->0:13.000\n-->".utf8), file: "t.vtt")
            Issue.record("read '-->' as cue text: \(cues)")
        } catch {
            #expect(error.line == 4 && error.reason.contains("broken timestamp"), "\(error)")
        }
        let cues = try WebVTTReader.cues(from: Array("WEBVTT\n\n00:01.000 --> 00:02.000\na\n00:03.000 --> 00:04.000\nb\n".utf8), file: "t.vtt")
        #expect(cues == [Cue(start: 1, end: 2, text: "a"), Cue(start: 3, end: 4, text: "b")])
    }

    /// Fuzz/Regressions/captions/ass-raw-line-ends.txt
    @Test("raw CR, LF and CRLF in ASS text are line breaks, never a blank line that would end the cue")
    func assRawLineEnds() {
        let result = ASSDialogue.webVTT(event: "0,0,Default,,0,0,0,,one\r\r\ntwo\rthree")
        #expect(result.text == "one\ntwo\nthree")
    }

    @Test("cues Strata writes as WebVTT read back unchanged")
    func roundTrip() throws {
        let cues = [Cue(start: 1, end: 2.5, text: "<i>a</i> &amp; b\nline two", settings: "line:0 align:start"),
                    Cue(start: 3600.001, end: 3601, text: "日本語")]
        let text = WebVTTSegmenter.render(cues, header: "WEBVTT")
        #expect(try WebVTTReader.cues(from: Array(text.utf8), file: "t.vtt") == cues)
    }
}

/// What the caption fuzz target's invariants found on hand-written inputs (also in Fuzz/Regressions/captions).
@Suite("Caption fuzzing findings: SubRip")
struct SubRipFuzzFindingsTests {
    @Test("a line emptied by removed markup or a position tag does not become a blank line in the cue", arguments: [
        "00:00:01,000 --> 00:00:02,000\na\n<font></font>\nb\n", "00:00:01,000 --> 00:00:02,000\na\n{\\an8}\nb\n",
    ])
    func emptiedLine(text: String) throws {
        let cues = try SubRipReader.cues(from: Array(text.utf8), file: "t.srt")
        #expect(cues.map(\.text) == ["a\nb"])
    }

    @Test("hours beyond any real track are a broken timestamp, not an overflow")
    func hugeHours() {
        #expect(throws: CaptionError.self) {
            try SubRipReader.cues(from: Array("99999999999999:00:00,000 --> 99999999999999:00:01,000\na\n".utf8), file: "t.srt")
        }
        #expect(CueTiming.format(.infinity) == "100000:00:00.000" && CueTiming.format(.nan) == "00:00:00.000")
    }

    @Test("a clock field too long for an integer is a broken timestamp, not an index out of range", arguments: [
        "0:01,000-->0:44444444444444444442,000\na\n", "00:00:01,000 --> 99999999999999999999:00:02,000\na\n",
        "00:00:01,000 --> 00:00:99999999999999999999,000\na\n",
    ])
    func clockFieldOverflow(text: String) {
        #expect(throws: CaptionError.self) { try SubRipReader.cues(from: Array(text.utf8), file: "t.srt") }
        #expect(CueTiming.seconds("0:44444444444444444442.000", allowComma: false) == nil)
    }
}

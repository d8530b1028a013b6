import Foundation
@testable import StrataMedia
import Testing

@Suite("SubRip captions")
struct SubRipReaderTests {
    func read(_ text: String, bom: Bool = false) throws(CaptionError) -> [Cue] {
        try SubRipReader.cues(from: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8), file: "t.srt")
    }

    @Test("cues keep timing, line breaks, italics and non-ASCII text; BOM and CRLF are fine")
    func valid() throws {
        let cues = try read("1\r\n00:00:01,000 --> 00:00:02,500\r\n¿Dónde <i>está</i>?\r\nSegunda línea\r\n\r\n2\r\n00:01:00,250 --> 00:01:02,000\r\n<b>日本語</b> & <font color=\"red\">more</font>\r\n", bom: true)
        #expect(cues == [
            Cue(start: 1, end: 2.5, text: "¿Dónde <i>está</i>?\nSegunda línea"),
            Cue(start: 60.25, end: 62, text: "<b>日本語</b> &amp; more"),
        ])
    }

    @Test("{\\an8} puts the cue at the top; cue numbers are optional")
    func position() throws {
        let cues = try read("00:00:01,000 --> 00:00:02,000\n{\\an8}Sign at the top\n")
        #expect(cues.first?.settings == "line:0")
        #expect(cues.first?.text == "Sign at the top")
    }

    @Test("a broken timestamp names its line", arguments: [
        ("1\n00:00:01,000 --> 00:00:0X,000\nhi\n", 2),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03.5 --> 00:00:04,000\nthere\n", 6),
        ("1\n00:00:01,000 -> 00:00:02,000\nhi\n", 2),
    ])
    func brokenTimestamp(text: String, line: Int) {
        #expect(throws: CaptionError.self) { try read(text) }
        do { _ = try read(text) } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.hasPrefix("captions 't.srt' line \(line): "))
        }
    }

    @Test("a cue that ends before it starts is refused")
    func backwards() throws {
        do {
            _ = try read("1\n00:00:05,000 --> 00:00:02,000\nhi\n")
            Issue.record("accepted a backwards cue")
        } catch {
            #expect(error.line == 2 && error.reason.contains("before it starts"))
        }
    }

    @Test("an empty file, or one with no cues, is refused", arguments: ["", "\n\n  \n"])
    func empty(text: String) {
        do {
            _ = try read(text)
            Issue.record("accepted a file without cues")
        } catch {
            #expect(error.reason == "the file holds no cues")
        }
    }

    @Test("text that is not UTF-8 names its line")
    func latin1() {
        do {
            _ = try SubRipReader.cues(from: Array("1\n00:00:01,000 --> 00:00:02,000\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x0A], file: "t.srt")
            Issue.record("accepted Latin-1 text")
        } catch {
            #expect(error.line == 3 && error.reason.contains("not UTF-8"))
        }
    }
}

@Suite("WebVTT captions")
struct WebVTTReaderTests {
    func read(_ text: String) throws(CaptionError) -> [Cue] {
        try WebVTTReader.cues(from: Array(text.utf8), file: "t.vtt")
    }

    @Test("cues, identifiers, settings and NOTE blocks")
    func valid() throws {
        let cues = try read("WEBVTT - a title\n\nNOTE ignore me\nstill a note\n\nintro\n00:01.000 --> 00:03.500 line:0 align:start\n日本語の<i>字幕</i>\n\n01:00:04.000 --> 01:00:09.000\nline one\nline two\n")
        #expect(cues == [
            Cue(start: 1, end: 3.5, text: "日本語の<i>字幕</i>", settings: "line:0 align:start"),
            Cue(start: 3604, end: 3609, text: "line one\nline two"),
        ])
    }

    @Test("the WEBVTT header is required")
    func header() {
        do {
            _ = try read("00:01.000 --> 00:02.000\nhi\n")
            Issue.record("accepted a file without header")
        } catch {
            #expect(error.line == 1 && error.reason.contains("WEBVTT"))
        }
    }

    @Test("a broken timing line names its line")
    func broken() {
        do {
            _ = try read("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03,000 --> 00:04.000\nbad\n")
            Issue.record("accepted a comma in a WebVTT timestamp")
        } catch {
            #expect(error.line == 6 && error.reason.contains("broken timestamp"))
        }
    }
}

@Suite("ASS dialogue to WebVTT")
struct ASSDialogueTests {
    @Test("override tags become WebVTT tags, \\N a line break, text is escaped", arguments: [
        ("0,0,Default,,0,0,0,,{\\i1}Hello{\\i0} world", "<i>Hello</i> world", ""),
        ("0,0,Default,,0,0,0,,{\\b1}Bold{\\b0}\\Nnext <line> & more", "<b>Bold</b>\nnext &lt;line&gt; &amp; more", ""),
        ("0,0,Default,,0,0,0,,{\\an8}Top, with a comma", "Top, with a comma", "line:0"),
        ("0,0,Default,,0,0,0,,{\\an1\\i1}left{\\c&H00FF00&}green", "<i>leftgreen</i>", "align:start"),
        ("0,0,Default,,0,0,0,,{\\i1}Hello{\\r} world", "<i>Hello</i> world", ""),
        ("0,0,Default,,0,0,0,,{\\b1\\i1}both{\\rDefault} plain", "<b><i>both</i></b> plain", ""),
    ])
    func convert(event: String, text: String, settings: String) {
        let result = ASSDialogue.webVTT(event: event)
        #expect(result.text == text)
        #expect(result.settings == settings)
    }
}

@Suite("WebVTT segmenting")
struct WebVTTSegmenterTests {
    @Test("every segment starts with WEBVTT and X-TIMESTAMP-MAP; a cue across a boundary is in both")
    func segments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-vtt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let segmenter = WebVTTSegmenter(boundaries: [0, 6, 12, 14], presentationOffset: 2.0 / 30)
        let cues = [Cue(start: 1, end: 2, text: "a"), Cue(start: 5.5, end: 6.5, text: "b", settings: "line:0")]
        let segments = try segmenter.write(cues, to: folder)
        #expect(segments.map(\.durationSeconds) == [6, 6, 2])
        let first = try String(contentsOf: folder.appendingPathComponent("seg-1.vtt"), encoding: .utf8)
        let second = try String(contentsOf: folder.appendingPathComponent("seg-2.vtt"), encoding: .utf8)
        let third = try String(contentsOf: folder.appendingPathComponent("seg-3.vtt"), encoding: .utf8)
        #expect(first == "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:6000,LOCAL:00:00:00.000\n\n00:00:01.000 --> 00:00:02.000\na\n\n00:00:05.500 --> 00:00:06.500 line:0\nb\n\n")
        #expect(second.contains("00:00:05.500 --> 00:00:06.500 line:0\nb\n") && !second.contains("\na\n"))
        #expect(third == "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:6000,LOCAL:00:00:00.000\n\n")
        let whole = try String(contentsOf: folder.appendingPathComponent("all.vtt"), encoding: .utf8)
        #expect(whole.hasPrefix("WEBVTT\n\n") && !whole.contains("X-TIMESTAMP-MAP"))
        #expect(segments[0].byteCount == first.utf8.count)
    }
}

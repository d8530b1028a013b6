import Foundation
import StrataManifest
@testable import StrataMedia
import Synchronization
import Testing
import TestSupport

/// The progressive listener in-process: when it lists segments, what it journals, how a new run continues.
@Suite("Progressive package")
struct ProgressivePackageTests {
    static let video = VideoTrackFacts(id: "360p", width: 640, height: 360, frameRate: FrameRate(30), codecs: "avc1.64001e",
                                       timeline: TrackTimeline(directory: "video/360p", timescale: 15360, presentationTimeOffset: 1024, segments: []),
                                       iFrames: [])
    static let audio = AudioTrackFacts(id: "en", language: "en", name: "English", role: .main, isDefault: true, channels: 2,
                                       sampleRate: 48000, codecs: "mp4a.40.2",
                                       timeline: TrackTimeline(directory: "audio/en", timescale: 48000, presentationTimeOffset: 3200, segments: []))

    /// Seconds reported as playable, in order.
    final class Readings: Sendable {
        let values = Mutex<[Double]>([])
    }

    func package(root: URL, earlier: ProgressivePackage.Journal? = nil, ready: Readings? = nil) -> ProgressivePackage {
        ProgressivePackage(root: root, videoCount: 1, audioCount: 1,
                           captions: [(CaptionTrackLabel(id: "en", language: "en", name: "English", kind: .subtitles),
                                       [Cue(start: 0.5, end: 2.5, text: "Hello", settings: "")])],
                           targetSegmentSeconds: 6, provisionalBitRates: ["360p": 900_000, "en": 128_000], earlier: earlier,
                           onPublish: { seconds in ready?.values.withLock { $0.append(seconds) } })
    }

    func segment(_ number: Int, start: Int64, duration: Int64) -> SegmentFacts {
        SegmentFacts(file: "seg-\(number).m4s", start: start, duration: duration, byteCount: 1000)
    }

    @Test("segment k is listed only once every track has finished it; captions follow; the journal records it")
    func listsCompleteSegments() throws {
        let root = try makeTemporaryDirectory("progressive-unit")
        defer { try? FileManager.default.removeItem(at: root) }
        let ready = Readings()
        let listener = package(root: root, ready: ready)
        listener.trackOpened(OpenedTrack.video(ProgressivePackageTests.video, index: 0))
        listener.trackOpened(OpenedTrack.audio(ProgressivePackageTests.audio, index: 0))
        try listener.segmentFinished(directory: "video/360p", segment: segment(1, start: 1024, duration: 30720), iFrames: [])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("master.m3u8").path), "audio has no segment yet")
        try listener.segmentFinished(directory: "audio/en", segment: segment(1, start: 2176, duration: 97024), iFrames: [])
        let playlist = try String(contentsOf: root.appendingPathComponent("video/360p/index.m3u8"), encoding: .utf8)
        #expect(playlist.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && playlist.contains("seg-1.m4s") && !playlist.contains("ENDLIST"))
        #expect(try String(contentsOf: root.appendingPathComponent("subtitles/en/seg-1.vtt"), encoding: .utf8).contains("Hello"))
        #expect(try String(contentsOf: root.appendingPathComponent("manifest.mpd"), encoding: .utf8).contains(#"type="dynamic""#))
        #expect(ready.values.withLock { $0 } == [2.0])

        let journal = try JSONDecoder().decode(ProgressivePackage.Journal.self,
                                               from: Data(contentsOf: root.appendingPathComponent(ProgressivePackage.journalFile)))
        #expect(journal.facts.video[0].timeline.segments.count == 1)

        // A new run in the same folder keeps what was listed and refuses other tracks.
        let next = package(root: root, earlier: journal)
        #expect(next.publishedSegments(of: "video/360p").segments == [segment(1, start: 1024, duration: 30720)])
        #expect(next.publishedSegments(of: "audio/en").segments.count == 1)
        try next.checkTracks(video: ["video/360p"], audio: ["audio/en"])
        #expect(throws: TranscodeError.self) { try next.checkTracks(video: ["video/720p"], audio: ["audio/en"]) }
    }

    @Test("a progressive folder is continued only with its journal and when asked to")
    func prepare() throws {
        let root = try makeTemporaryDirectory("progressive-prepare")
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("x".utf8).write(to: root.appendingPathComponent("stale.m4s"))
        #expect(throws: TranscodeError.self) { try ProgressivePackage.prepare(root, overwrite: false, resume: false) }
        #expect(try ProgressivePackage.prepare(root, overwrite: false, resume: true) == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("stale.m4s").path), "no journal: started afresh")
    }
}

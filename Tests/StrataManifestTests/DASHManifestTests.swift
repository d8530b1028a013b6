import Foundation
import StrataManifest
import Testing
import TestSupport

@Suite("DASH MPD")
struct DASHManifestTests {
    @Test("MPD matches the golden file")
    func golden() throws {
        try expectGolden(DASHManifest(facts: Fixtures.simple).render(), "manifest.mpd")
        try expectGolden(DASHManifest(facts: Fixtures.withDescription).render(), "manifest-described.mpd")
    }

    @Test("the MPD is valid against the DASH-MPD schema (xmllint)", arguments: ["simple", "described"])
    func schema(fixture: String) throws {
        let facts = fixture == "simple" ? Fixtures.simple : Fixtures.withDescription
        let folder = try makeTemporaryDirectory("mpd")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("manifest.mpd")
        try DASHManifest(facts: facts).render().write(to: file, atomically: true, encoding: .utf8)
        let result = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, file.path])
        #expect(result.succeeded, "\(result.stderr)")
    }

    @Test("audio description is signalled by Role alternate and both Accessibility schemes")
    func audioDescription() throws {
        let mpd = DASHManifest(facts: Fixtures.withDescription)
        let described = try #require(mpd.adaptationSets.first { $0.representations.first?.id == "audio-en-description" })
        #expect(described.roles == [DASHDescriptor.role("alternate")])
        #expect(described.accessibility.contains(DASHDescriptor(schemeIdUri: "urn:mpeg:dash:role:2011", value: "description")))
        #expect(described.accessibility.contains(DASHDescriptor(schemeIdUri: "urn:tva:metadata:cs:AudioPurposeCS:2007", value: "1")))
        #expect(described.lang == "en")
        #expect(described.audioChannelConfiguration?.value == "2")
    }

    @Test("segment timelines run-length encode equal durations and keep the start time")
    func timeline() {
        let entries = DASHSegmentTemplate.timeline(starts: [1024, 93184, 185344, 277504], durations: [92160, 92160, 92160, 30720])
        #expect(entries == [DASHTimelineEntry(start: 1024, duration: 92160, repeatCount: 2),
                            DASHTimelineEntry(start: nil, duration: 30720, repeatCount: 0)])
        let gap = DASHSegmentTemplate.timeline(starts: [0, 100, 250], durations: [100, 100, 100])
        #expect(gap.map(\.start) == [0, 250], "a gap restarts the timeline with an explicit t")
    }

    @Test("presentation duration is measured from the presentation time offset")
    func duration() {
        // Audio starts 1024 samples (priming) before its offset of 3200: it lasts 14 s of presentation.
        #expect(abs(Fixtures.mainAudio.timeline.presentationDurationSeconds - 14.0) < 0.0001)
        #expect(DASHManifest(facts: Fixtures.simple).render().contains(#"mediaPresentationDuration="PT14S""#))
    }

    @Test("maxSegmentDuration is an upper bound: rounded up to the millisecond, exact values kept")
    func maxSegmentDuration() {
        // The audio's first segment: 289792 samples at 48 kHz = 6.037333 s.
        #expect(DASHManifest(facts: Fixtures.simple).render().contains(#"maxSegmentDuration="PT6.038S""#))
        let exact = DASHManifest(mediaPresentationDuration: 12, minBufferTime: 6, maxSegmentDuration: 6, adaptationSets: [])
        #expect(exact.render().contains(#"maxSegmentDuration="PT6S""#))
    }

    @Test("captions are addressed by SegmentTemplate over the HLS WebVTT segments; Representation ids are unique")
    func captions() throws {
        let english = SubtitleTrackFacts(id: "en", language: "en", name: "English", kind: .subtitles, isDefault: false,
                                         directory: "subtitles/en", sidecarFile: "all.vtt", segments: [
                                             SubtitleSegmentFacts(file: "seg-1.vtt", durationSeconds: 6.0333, byteCount: 100),
                                             SubtitleSegmentFacts(file: "seg-2.vtt", durationSeconds: 6.0333, byteCount: 100),
                                             SubtitleSegmentFacts(file: "seg-3.vtt", durationSeconds: 1.9334, byteCount: 50),
                                         ])
        var facts = Fixtures.simple
        facts.subtitles = [english]
        let mpd = DASHManifest(facts: facts)
        let text = try #require(mpd.adaptationSets.first { $0.contentType == "text" })
        let template = try #require(text.representations.first?.segmentTemplate)
        #expect(template.media == "subtitles/en/seg-$Number$.vtt" && template.initialization == nil && template.timescale == 1000)
        // Boundaries rounded once (6033, 12067, 14000 ms): the durations add up to the track.
        #expect(template.timeline == [DASHTimelineEntry(start: 0, duration: 6033, repeatCount: 0),
                                      DASHTimelineEntry(start: nil, duration: 6034, repeatCount: 0),
                                      DASHTimelineEntry(start: nil, duration: 1933, repeatCount: 0)])
        let ids = mpd.adaptationSets.flatMap(\.representations).map(\.id)
        #expect(ids == ["video-720p", "video-360p", "audio-en", "text-en"])
        #expect(!mpd.render().contains("BaseURL"))
    }
}

import Foundation
import StrataManifest
import Testing
import TestSupport

/// A package while it is being made: EVENT playlists and a dynamic MPD, from the same facts.
@Suite("Growing packages")
struct GrowingPackageTests {
    /// The first two segments of every track of `Fixtures.simple`, with provisional rates.
    static var firstTwo: PackageFacts {
        var facts = Fixtures.simple
        for index in facts.video.indices { facts.video[index].timeline.segments.removeLast() }
        for index in facts.audio.indices { facts.audio[index].timeline.segments.removeLast() }
        return facts
    }

    static let growing = GrowingPackage(
        availabilityStart: Date(timeIntervalSince1970: 1_790_000_000), publishTime: Date(timeIntervalSince1970: 1_790_000_012),
        updatePeriodSeconds: 2, provisionalBitRates: ["720p": 3_080_000, "360p": 900_000, "en": 128_000])

    @Test("EVENT playlists and the master with provisional BANDWIDTH match the golden files")
    func hlsGolden() throws {
        let hls = HLSPresentation(facts: GrowingPackageTests.firstTwo, growing: GrowingPackageTests.growing)
        try expectGolden(hls.master.render(), "growing-master.m3u8")
        try expectGolden(try #require(hls.mediaPlaylists["video/720p/index.m3u8"]).render(), "growing-video-720p.m3u8")
        #expect(hls.mediaPlaylists.keys.allSatisfy { !$0.hasSuffix("iframes.m3u8") }, "I-frame playlists appear only at the end")
        let variant = try #require(hls.master.variants.first)
        #expect(variant.bandwidth == 3_080_000 + 128_000)
    }

    @Test("an EVENT playlist has no ENDLIST; the final VOD one does")
    func endList() throws {
        let growing = try #require(HLSPresentation(facts: GrowingPackageTests.firstTwo, growing: GrowingPackageTests.growing)
            .mediaPlaylists["audio/en/index.m3u8"]).render()
        #expect(growing.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
        #expect(!growing.contains("#EXT-X-ENDLIST"))
        let final = try #require(HLSPresentation(facts: Fixtures.simple).mediaPlaylists["audio/en/index.m3u8"]).render()
        #expect(final.contains("#EXT-X-PLAYLIST-TYPE:VOD"))
        #expect(final.hasSuffix("#EXT-X-ENDLIST\n"))
        // Appending only: the growing playlist's segment lines are a prefix of the final one's.
        let entries = growing.split(separator: "\n").filter { $0.hasPrefix("#EXTINF") || $0.hasSuffix(".m4s") }
        let finalEntries = final.split(separator: "\n").filter { $0.hasPrefix("#EXTINF") || $0.hasSuffix(".m4s") }
        #expect(Array(finalEntries.prefix(entries.count)) == entries)
    }

    @Test("the dynamic MPD matches the golden file")
    func dashGolden() throws {
        try expectGolden(DASHManifest(facts: GrowingPackageTests.firstTwo, growing: GrowingPackageTests.growing).render(), "growing-manifest.mpd")
    }

    @Test("the dynamic MPD is valid against the DASH-MPD schema (xmllint)")
    func schema() throws {
        let folder = try makeTemporaryDirectory("mpd")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("manifest.mpd")
        try DASHManifest(facts: GrowingPackageTests.firstTwo, growing: GrowingPackageTests.growing).render()
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, file.path])
        #expect(result.succeeded, "\(result.stderr)")
    }
}

extension GrowingPackageTests {
    @Test("TARGETDURATION stays the profile's segment length from a short first segment to the end (RFC 8216 §6.2.1)")
    func steadyTargetDuration() throws {
        var first = GrowingPackageTests.firstTwo
        for index in first.video.indices {
            first.video[index].timeline.segments = [first.video[index].timeline.segments[0]]
            first.video[index].timeline.segments[0].duration = 30720  // a 2 s fast-start segment
        }
        let growing = try #require(HLSPresentation(facts: first, growing: GrowingPackageTests.growing).mediaPlaylists["video/720p/index.m3u8"])
        let final = try #require(HLSPresentation(facts: Fixtures.simple).mediaPlaylists["video/720p/index.m3u8"])
        #expect(growing.targetDuration == 6)
        #expect(final.targetDuration == 6)
    }
}

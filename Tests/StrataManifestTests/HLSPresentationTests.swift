import StrataManifest
import Testing

@Suite("HLS playlists")
struct HLSPresentationTests {
    @Test("master playlist matches the golden file")
    func masterGolden() throws {
        try expectGolden(HLSPresentation(facts: Fixtures.simple).master.render(), "master.m3u8")
        try expectGolden(HLSPresentation(facts: Fixtures.withDescription).master.render(), "master-described.m3u8")
    }

    @Test("media and I-frame playlists match the golden files")
    func mediaGolden() throws {
        let playlists = HLSPresentation(facts: Fixtures.simple).mediaPlaylists
        #expect(Set(playlists.keys) == ["video/720p/index.m3u8", "video/720p/iframes.m3u8", "video/360p/index.m3u8",
                                        "video/360p/iframes.m3u8", "audio/en/index.m3u8"])
        try expectGolden(try #require(playlists["video/720p/index.m3u8"]).render(), "video-720p.m3u8")
        try expectGolden(try #require(playlists["video/720p/iframes.m3u8"]).render(), "iframes-720p.m3u8")
        try expectGolden(try #require(playlists["audio/en/index.m3u8"]).render(), "audio-en.m3u8")
    }

    @Test("BANDWIDTH is the video's peak segment rate plus the group's largest audio peak (authoring spec 1.26)")
    func bandwidth() throws {
        let master = HLSPresentation(facts: Fixtures.simple).master
        let video = Fixtures.video[0].timeline
        let audio = Fixtures.mainAudio.timeline
        let variant = try #require(master.variants.first)
        #expect(variant.bandwidth == video.peakBitRate + audio.peakBitRate)
        #expect(variant.averageBandwidth == video.averageBitRate + audio.averageBitRate)
        // 2,250,000 bytes over 6 s is the busiest 720p segment.
        #expect(video.peakBitRate == 3_000_000)
        #expect(variant.codecs == ["avc1.64001f", "mp4a.40.2"])
    }

    @Test("exactly one DEFAULT=YES per audio group; audio description is marked for accessibility")
    func audioRenditions() throws {
        let master = HLSPresentation(facts: Fixtures.withDescription).master
        let audio = master.renditions.filter { $0.type == .audio }
        #expect(audio.count == 2)
        #expect(audio.filter(\.isDefault).count == 1)
        #expect(audio.allSatisfy { $0.autoselect })
        #expect(Set(audio.map(\.name)).count == audio.count, "names are unique in the group")
        let described = try #require(audio.first { $0.characteristics.contains("public.accessibility.describes-video") })
        #expect(!described.isDefault)
        #expect(master.variants.allSatisfy { $0.audioGroup == audio[0].groupID })
    }

    @Test("TARGETDURATION is at least every EXTINF rounded to the nearest second")
    func targetDuration() {
        let playlist = HLSMediaPlaylist(mapURI: "init.mp4", segments: [
            HLSSegment(duration: 6.006, uri: "a"), HLSSegment(duration: 6.5, uri: "b"), HLSSegment(duration: 2, uri: "c"),
        ])
        #expect(playlist.targetDuration == 7)
        #expect(playlist.render().contains("#EXT-X-TARGETDURATION:7\n"))
        #expect(playlist.render().contains("#EXTINF:6.006,\na\n"))
        #expect(playlist.render().hasSuffix("#EXT-X-ENDLIST\n"))
    }

    @Test("quoted attribute values cannot break the playlist")
    func quoting() {
        let rendition = HLSRendition(type: .audio, groupID: "g", name: "Director's \"cut\"\nline", language: "en",
                                     isDefault: true, autoselect: true, uri: "a.m3u8")
        let text = HLSMasterPlaylist(renditions: [rendition], variants: [], iFrameVariants: []).render()
        #expect(text.contains(#"NAME="Director's 'cut' line""#))
        #expect(text.split(separator: "\n").count == 4)
    }

    @Test("TARGETDURATION bounds every EXTINF as written, rounded to the nearest second (RFC 8216 §4.3.3.1)")
    func targetDurationAsWritten() {
        // 6.4996 s is written 6.500, which a client rounds to 7.
        #expect(HLSMediaPlaylist(mapURI: nil, segments: [HLSSegment(duration: 6.4996, uri: "a")]).targetDuration == 7)
        #expect(HLSMediaPlaylist(mapURI: nil, segments: [HLSSegment(duration: 6.0373, uri: "a")]).targetDuration == 6)
        #expect(HLSMediaPlaylist(mapURI: nil, segments: [HLSSegment(duration: 6.4994, uri: "a")]).targetDuration == 6)
    }
}

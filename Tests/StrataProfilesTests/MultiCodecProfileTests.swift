import Foundation
import StrataProfiles
import Testing

@Suite("Profiles with H.264, HEVC and AV1 rungs")
struct MultiCodecProfileTests {
    private func problem(_ text: String) -> ProfileError? {
        do {
            _ = try ProfileParser.parse(text, source: "inline")
            return nil
        } catch {
            return error
        }
    }

    @Test("the shipped multicodec profile has the default H.264 ladder plus HEVC and AV1 ladders")
    func shipped() throws {
        let profile = try ProfileLibrary(directory: ProfileParserTests.profilesFolder).load(named: "multicodec")
        let standard = try ProfileLibrary(directory: ProfileParserTests.profilesFolder).load(named: "default")
        #expect(profile.renditions.filter { $0.codec == .h264 } == standard.renditions)
        #expect(profile.renditions.filter { $0.codec == .hevc }.map(\.height) == [1080, 720, 540])
        #expect(profile.renditions.filter { $0.codec == .av1 }.map(\.height) == [1080, 720, 540, 360])
        #expect(Set(profile.renditions.map(\.name)).count == profile.renditions.count)
        #expect(profile.renditions.filter { $0.codec == .av1 }.allSatisfy { $0.preset == "10" && $0.profile == "main" })
    }

    @Test("a rendition naming another codec starts from that codec's defaults, not video:'s")
    func codecDefaults() throws {
        let profile = try ProfileParser.parse("""
            name: x
            video: {codec: h264, preset: medium, profile: main, level: "4.0"}
            renditions:
              - {height: 720, bitrate: 2M}
              - {height: 720, bitrate: 1M, codec: hevc}
              - {height: 720, bitrate: 1M, codec: av1, preset: 12, level: "3.1"}
              - {height: 540, bitrate: 1M, codec: hevc, tier: high, level: "4.1"}
            """, source: "inline")
        let rungs = profile.renditions
        #expect(rungs.map(\.name) == ["720p", "720p-hevc", "720p-av1", "540p-hevc"])
        #expect(rungs[0].preset == "medium" && rungs[0].profile == "main" && rungs[0].level == "4.0")
        #expect(rungs[1].preset == "veryfast" && rungs[1].profile == "main" && rungs[1].level == nil)
        #expect(rungs[2].preset == "12" && rungs[2].level == "3.1")
        #expect(rungs[3].tier == "high" && rungs[3].level == "4.1")
    }

    @Test("video: defaults for HEVC apply to every rung")
    func hevcDefaults() throws {
        let profile = try ProfileParser.parse("name: x\nvideo: {codec: hevc, preset: fast}\nrenditions: [{height: 360, bitrate: 1M}]", source: "inline")
        #expect(profile.renditions[0].codec == .hevc && profile.renditions[0].preset == "fast" && profile.renditions[0].name == "360p-hevc")
    }

    @Test("presets, profiles, levels and tiers are checked against the rung's own codec", arguments: [
        ("renditions: [{height: 360, bitrate: 1M, codec: av1, preset: fast}]", "renditions[0].preset", "for codec av1"),
        ("video: {codec: av1, preset: 14}\nrenditions: [{height: 360, bitrate: 1M}]", "video.preset", "use one of 0, 1"),
        ("renditions: [{height: 360, bitrate: 1M, codec: hevc, profile: high}]", "renditions[0].profile", "for codec hevc; use one of main"),
        ("renditions: [{height: 360, bitrate: 1M, codec: hevc, level: \"3.2\"}]", "renditions[0].level", "for codec hevc"),
        ("renditions: [{height: 360, bitrate: 1M, tier: high}]", "renditions[0].tier", "h264 has no tiers"),
        ("renditions: [{height: 360, bitrate: 1M, codec: av1, tier: high}]", "renditions[0].tier", "av1 has no tiers"),
        ("renditions: [{height: 360, bitrate: 1M, codec: hevc, tier: top}]", "renditions[0].tier", "use one of main, high"),
        ("video: {codec: hevc, preset: 10}\nrenditions: [{height: 360, bitrate: 1M, codec: av1}]", "video.preset", "for codec hevc"),
        ("renditions: [{height: 360, bitrate: 1M, codec: hevc}, {name: 360p-hevc, height: 240, bitrate: 1M}]", "renditions[1]", "used twice"),
    ])
    func rejected(body: String, keyPath: String, reason: String) throws {
        let error = try #require(problem("name: x\n" + body))
        #expect(error.keyPath == keyPath)
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.line != nil, "the message names the line")
    }
}

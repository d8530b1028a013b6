import Foundation
import StrataManifest
import Testing
import TestSupport

/// H.264, HEVC and AV1 rungs of one package, listed out of order (AV1 first) to show the manifests reorder them.
enum MultiCodecFixtures {
    static let video = [
        VideoTrackFacts(id: "720p-av1", width: 1280, height: 720, frameRate: FrameRate(30), codecs: "av01.0.05M.08",
                        timeline: Fixtures.videoTimeline("720p-av1", sizes: [1_100_000, 1_150_000, 380_000]),
                        iFrames: Fixtures.iFrames([30_000, 31_000, 32_000, 33_000, 34_000, 35_000, 36_000])),
        VideoTrackFacts(id: "720p", width: 1280, height: 720, frameRate: FrameRate(30), codecs: "avc1.64001f",
                        timeline: Fixtures.videoTimeline("720p", sizes: [2_100_000, 2_250_000, 700_000]),
                        iFrames: Fixtures.iFrames([40_000, 41_000, 42_000, 43_000, 44_000, 45_000, 46_000])),
        VideoTrackFacts(id: "720p-hevc", width: 1280, height: 720, frameRate: FrameRate(30), codecs: "hvc1.1.6.L93.90",
                        timeline: Fixtures.videoTimeline("720p-hevc", sizes: [1_400_000, 1_450_000, 470_000]),
                        iFrames: Fixtures.iFrames([35_000, 36_000, 37_000, 38_000, 39_000, 40_000, 41_000])),
        VideoTrackFacts(id: "360p", width: 640, height: 360, frameRate: FrameRate(30), codecs: "avc1.4d401e",
                        timeline: Fixtures.videoTimeline("360p", sizes: [600_000, 610_000, 200_000]),
                        iFrames: Fixtures.iFrames([12_000, 12_100, 12_200, 12_300, 12_400, 12_500, 12_600])),
    ]
    static let facts = PackageFacts(video: video, audio: [Fixtures.mainAudio], targetSegmentSeconds: 6)
}

@Suite("Manifests with H.264, HEVC and AV1 rungs")
struct MultiCodecManifestTests {
    @Test("HLS: one master, H.264 variants first, then HEVC, then AV1; an I-frame playlist per rung")
    func hls() throws {
        let master = HLSPresentation(facts: MultiCodecFixtures.facts).master
        try expectGolden(master.render(), "master-multicodec.m3u8")
        #expect(master.variants.map(\.uri) == ["video/720p/index.m3u8", "video/360p/index.m3u8",
                                                "video/720p-hevc/index.m3u8", "video/720p-av1/index.m3u8"])
        #expect(master.iFrameVariants.map { $0.codecs } == [["avc1.64001f"], ["avc1.4d401e"], ["hvc1.1.6.L93.90"], ["av01.0.05M.08"]])
    }

    @Test("DASH: one video AdaptationSet per codec with @codecs per Representation, schema-valid")
    func dash() throws {
        let mpd = DASHManifest(facts: MultiCodecFixtures.facts)
        try expectGolden(mpd.render(), "manifest-multicodec.mpd")
        let video = mpd.adaptationSets.filter { $0.contentType == "video" }
        #expect(video.map { $0.representations.map(\.id) } == [["video-720p", "video-360p"], ["video-720p-hevc"], ["video-720p-av1"]])
        #expect(video.map { $0.representations.map(\.codecs) } == [["avc1.64001f", "avc1.4d401e"], ["hvc1.1.6.L93.90"], ["av01.0.05M.08"]])
        #expect(Set(mpd.adaptationSets.map(\.id)).count == mpd.adaptationSets.count, "AdaptationSet ids are unique")
        let folder = try makeTemporaryDirectory("mpd")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("manifest.mpd")
        try mpd.render().write(to: file, atomically: true, encoding: .utf8)
        let result = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, file.path])
        #expect(result.succeeded, "\(result.stderr)")
    }

    @Test("codec families from RFC 6381 strings")
    func families() {
        #expect(VideoCodecFamily(codecs: "avc1.640028") == .avc)
        #expect(VideoCodecFamily(codecs: "hev1.1.6.L93.90") == .hevc)
        #expect(VideoCodecFamily(codecs: "av01.0.08M.08") == .av1)
        #expect(VideoCodecFamily(codecs: "vp09.00.10.08") == .other)
        #expect(VideoCodecFamily.avc < .hevc && VideoCodecFamily.hevc < .av1)
    }
}

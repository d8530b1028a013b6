import Foundation
import StrataManifest
@testable import StrataServer
import Testing

@Suite("Asset responses")
struct AssetResponseTests {
    @Test("the API shows each rendition's measured quality, its rate decision and the per-title analysis")
    func perTitleFacts() throws {
        let timeline = TrackTimeline(directory: "video/540p", timescale: 15360, presentationTimeOffset: 0,
                                     segments: [SegmentFacts(file: "seg-1.m4s", start: 0, duration: 61440, byteCount: 100_000)])
        var video = VideoTrackFacts(id: "540p", width: 960, height: 540, frameRate: FrameRate(30), codecs: "avc1.64001f",
                                    timeline: timeline, iFrames: [])
        video.quality = QualityFacts(frames: 120, psnr: 44.5, psnrY: 45.1, ssim: 0.991, ssimY: 0.989)
        video.rateControl = RateControlFacts(mode: .cappedQuality, crf: 21, predictedBitRate: 300_000, profileBitRate: 1_400_000,
                                             maxrate: 1_320_000, bufsize: 1_320_000, reason: "CRF 21 should need about 300k")
        var facts = PackageFacts(video: [video], audio: [], targetSegmentSeconds: 6)
        facts.perTitle = PerTitleFacts(targetCRF: 21, probeSize: "640x360", analysedSeconds: 4, masterSeconds: 4,
                                       probeBitsPerPixel: 0.01, droppedRenditions: [.init(name: "360p", predictedBitRate: 250_000, reason: "close")])
        let record = AssetRecord(
            id: "a1", title: nil, profileName: "per-title", profileJSON: "{}", status: .ready, progress: 1, errorCode: nil,
            errorMessage: nil, published: false, packageVersion: 1, masterSize: 1, factsJSON: String(decoding: try JSONEncoder().encode(facts), as: UTF8.self),
            createdAt: Date(), updatedAt: Date())
        let body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AssetResponse(record, sidecars: [], baseURL: "http://x"))) as? [String: Any]
        let rendition = try #require((body?["renditions"] as? [[String: Any]])?.first)
        #expect((rendition["quality"] as? [String: Any])?["psnr"] as? Double == 44.5)
        #expect((rendition["rateControl"] as? [String: Any])?["mode"] as? String == "capped_quality")
        let perTitle = try #require(body?["perTitle"] as? [String: Any])
        #expect(perTitle["targetCRF"] as? Double == 21)
        #expect(((perTitle["droppedRenditions"] as? [[String: Any]])?.first)?["name"] as? String == "360p")
    }

    @Test("the API lists each smart crop with its HLS and DASH entry points and its camera path, under /stream/<asset>/")
    func crops() throws {
        let timeline = TrackTimeline(directory: "crops/vertical/video/360p", timescale: 12800, presentationTimeOffset: 0,
                                     segments: [SegmentFacts(file: "seg-1.m4s", start: 0, duration: 25600, byteCount: 10_000)])
        let crop = VideoTrackFacts(id: "360p", width: 202, height: 360, frameRate: FrameRate(25), codecs: "avc1.64000d",
                                   timeline: timeline, iFrames: [])
        var facts = PackageFacts(video: [], audio: [], targetSegmentSeconds: 2)
        facts.crops = [CropFacts(name: "vertical", aspect: "9:16", windowWidth: 202, windowHeight: 360, video: [crop], shotStarts: [0])]
        let record = AssetRecord(
            id: "a1", title: nil, profileName: "social", profileJSON: "{}", status: .ready, progress: 1, errorCode: nil,
            errorMessage: nil, published: true, packageVersion: 1, masterSize: 1, factsJSON: String(decoding: try JSONEncoder().encode(facts), as: UTF8.self),
            createdAt: Date(), updatedAt: Date())
        let body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AssetResponse(record, sidecars: [], baseURL: "http://x"))) as? [String: Any]
        let crops = try #require(body?["crops"] as? [[String: Any]])
        #expect(crops.count == 1)
        #expect(crops.first?["name"] as? String == "vertical")
        #expect(crops.first?["aspect"] as? String == "9:16")
        #expect(crops.first?["hls"] as? String == "http://x/stream/a1/crops/vertical/master.m3u8")
        #expect(crops.first?["dash"] as? String == "http://x/stream/a1/crops/vertical/manifest.mpd")
        #expect(crops.first?["path"] as? String == "http://x/stream/a1/crops/vertical/path.json")
    }
}

import FFmpegBridge
@testable import StrataMedia
import StrataProfiles
import Testing

@Suite("Ladder planning")
struct LadderPlanTests {
    let profile = EncodingProfile(name: "t", renditions: [
        RenditionSpec(name: "1080p", height: 1080, bitrate: 5_000_000),
        RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000),
        RenditionSpec(name: "360p", height: 360, bitrate: 800_000),
    ])

    func video(width: Int, height: Int, rotation: Int = 0, fps: Rational = Rational(30, 1)) -> StreamDescription {
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        stream.displayWidth = width
        stream.displayHeight = height
        stream.rotation = rotation
        stream.exactFrameRate = fps
        return stream
    }

    @Test("rungs taller than the master are dropped, never upscaled")
    func noUpscale() throws {
        let plan = try LadderPlan(profile: profile, video: video(width: 1280, height: 720))
        #expect(plan.renditions.map(\.spec.name) == ["720p", "360p"])
        #expect(plan.droppedRenditions == ["1080p"])
        #expect(plan.renditions.map(\.width) == [1280, 640])
    }

    @Test("odd masters give even sizes at the display aspect ratio")
    func oddSizes() throws {
        let plan = try LadderPlan(profile: profile, video: video(width: 853, height: 479))
        #expect(plan.renditions.map(\.height) == [360])
        #expect(plan.renditions[0].width == 642)
        #expect(plan.renditions.allSatisfy { $0.width % 2 == 0 && $0.height % 2 == 0 })
    }

    @Test("a portrait master gets portrait rungs with the height as the short side")
    func portrait() throws {
        let plan = try LadderPlan(profile: profile, video: video(width: 1080, height: 1920, rotation: 90))
        #expect(plan.renditions.map { "\($0.width)x\($0.height)" } == ["1080x1920", "720x1280", "360x640"])
        #expect(plan.rotation == .clockwise)
    }

    @Test("a master smaller than every rung is made once at its own size, named for it")
    func tiny() throws {
        let plan = try LadderPlan(profile: profile, video: video(width: 320, height: 240))
        #expect(plan.renditions.map { "\($0.spec.name) \($0.width)x\($0.height)" } == ["240p 320x240"])
        #expect(plan.renditions[0].spec.bitrate == 800_000)
    }

    @Test("a width×height box keeps the aspect ratio inside it")
    func box() throws {
        let boxed = EncodingProfile(name: "b", renditions: [RenditionSpec(name: "sd", height: 480, width: 640, bitrate: 1_000_000)])
        let plan = try LadderPlan(profile: boxed, video: video(width: 1920, height: 1080))
        #expect(plan.renditions.map { "\($0.width)x\($0.height)" } == ["640x360"])
    }
}

@Suite("Ladder planning with parallel codecs")
struct MultiCodecLadderPlanTests {
    @Test("rungs of the same size in different codecs are all kept; each codec falls back to its own smallest rung")
    func parallel() throws {
        let profile = EncodingProfile(name: "m", renditions: [
            RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000),
            RenditionSpec(name: "360p", height: 360, bitrate: 800_000),
            RenditionSpec(name: "720p-hevc", height: 720, bitrate: 1_800_000, codec: .hevc, preset: "veryfast", profile: "main"),
            RenditionSpec(name: "360p-av1", height: 360, bitrate: 450_000, codec: .av1, preset: "10", profile: "main"),
        ])
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        (stream.displayWidth, stream.displayHeight, stream.exactFrameRate) = (1280, 720, Rational(25, 1))
        let plan = try LadderPlan(profile: profile, video: stream)
        #expect(plan.renditions.map(\.spec.name) == ["720p", "360p", "720p-hevc", "360p-av1"])
        (stream.displayWidth, stream.displayHeight) = (320, 180)
        let small = try LadderPlan(profile: profile, video: stream)
        #expect(small.renditions.map(\.spec.name) == ["180p", "180p-hevc", "180p-av1"])
        #expect(small.renditions.map(\.spec.codec) == [.h264, .hevc, .av1])
    }
}

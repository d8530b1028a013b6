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
        // The master's own size (rounded down to even) on top, then 360p.
        #expect(plan.renditions.map(\.height) == [478, 360])
        #expect(plan.renditions.map(\.width) == [852, 642])
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

    let defaultLadder = EncodingProfile(name: "d", renditions: [
        RenditionSpec(name: "1080p", height: 1080, bitrate: 5_000_000, maxrate: 5_500_000, bufsize: 10_000_000),
        RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000, maxrate: 3_080_000, bufsize: 5_600_000),
        RenditionSpec(name: "540p", height: 540, bitrate: 1_400_000, maxrate: 1_540_000, bufsize: 2_800_000),
        RenditionSpec(name: "360p", height: 360, bitrate: 800_000, maxrate: 880_000, bufsize: 1_600_000, profile: "main"),
    ])

    @Test("a 640×480 master keeps 480p on top of 360p, rates interpolated by pixel count")
    func sourceSizeVGA() throws {
        let plan = try LadderPlan(profile: defaultLadder, video: video(width: 640, height: 480))
        #expect(plan.renditions.map { "\($0.spec.name) \($0.width)x\($0.height)" } == ["480p 640x480", "360p 480x360"])
        #expect(plan.sourceSizeRendition == "480p")
        // 307 200 px lies 0.622 of the way from 360p's 172 800 px to 540p's 388 800 px (same aspect).
        let top = plan.renditions[0].spec
        #expect(top.bitrate == 1_173_000)
        #expect(top.maxrate == 1_291_000)
        #expect(top.bufsize == 2_347_000)
        #expect(top.profile == "high")  // the settings of the tier it stands in for (540p)
        #expect(plan.droppedRenditions == ["1080p", "720p", "540p"])
    }

    @Test("a 720×528 master keeps 528p on top of 360p")
    func sourceSize528() throws {
        let plan = try LadderPlan(profile: defaultLadder, video: video(width: 720, height: 528))
        #expect(plan.renditions.map { "\($0.spec.name) \($0.width)x\($0.height)" } == ["528p 720x528", "360p 490x360"])
        let rate = plan.renditions[0].spec.bitrate
        #expect(rate > 800_000 && rate < 1_400_000)
    }

    @Test("no source-size rung when a kept rung is within 10%, when the master is above every rung, or when nothing was dropped")
    func sourceSizeNotNeeded() throws {
        let near = try LadderPlan(profile: defaultLadder, video: video(width: 1024, height: 576))  // 540p is 6% below 576
        #expect(near.renditions.map(\.spec.name) == ["540p", "360p"])
        #expect(near.sourceSizeRendition == nil)
        let big = try LadderPlan(profile: defaultLadder, video: video(width: 3840, height: 2160))
        #expect(big.renditions.map(\.spec.name) == ["1080p", "720p", "540p", "360p"])
        let exact = try LadderPlan(profile: defaultLadder, video: video(width: 1280, height: 720))
        #expect(exact.renditions.map(\.spec.name) == ["720p", "540p", "360p"])
    }

    @Test("a portrait master between rungs keeps its own size, portrait")
    func sourceSizePortrait() throws {
        let plan = try LadderPlan(profile: defaultLadder, video: video(width: 480, height: 640))
        #expect(plan.renditions.map { "\($0.width)x\($0.height)" } == ["480x640", "360x480"])
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

@Suite("Master-size rung per codec")
struct MultiCodecSourceSizeRungTests {
    @Test("a 640×480 master gets a 480p rung in each codec's ladder")
    func perCodec() throws {
        let profile = EncodingProfile(name: "m", renditions: [
            RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000),
            RenditionSpec(name: "360p", height: 360, bitrate: 800_000),
            RenditionSpec(name: "720p-hevc", height: 720, bitrate: 1_800_000, codec: .hevc, preset: "veryfast", profile: "main"),
            RenditionSpec(name: "360p-hevc", height: 360, bitrate: 500_000, codec: .hevc, preset: "veryfast", profile: "main"),
        ])
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        (stream.displayWidth, stream.displayHeight, stream.exactFrameRate) = (640, 480, Rational(25, 1))
        let plan = try LadderPlan(profile: profile, video: stream)
        #expect(plan.renditions.map(\.spec.name) == ["480p", "360p", "480p-hevc", "360p-hevc"])
        #expect(plan.renditions.map(\.spec.codec) == [.h264, .h264, .hevc, .hevc])
        #expect(plan.sourceSizeRendition == "480p")
    }
}

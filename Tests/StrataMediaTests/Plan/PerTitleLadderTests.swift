import FFmpegBridge
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing

@Suite("Per-title ladder decisions")
struct PerTitleLadderTests {
    let profile = EncodingProfile(name: "d", renditions: [
        RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000, maxrate: 3_080_000, bufsize: 5_600_000),
        RenditionSpec(name: "540p", height: 540, bitrate: 1_400_000, maxrate: 1_540_000, bufsize: 2_800_000),
        RenditionSpec(name: "360p", height: 360, bitrate: 800_000, maxrate: 880_000, bufsize: 1_600_000),
    ])
    
    func plan() throws -> LadderPlan {
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        stream.displayWidth = 1280
        stream.displayHeight = 720
        stream.exactFrameRate = Rational(30, 1)
        return try LadderPlan(profile: profile, video: stream)
    }

    /// A probe at 640×360 that spent `bitRate`.
    func probe(_ bitRate: Double) -> ComplexityMeasurement {
        ComplexityMeasurement(width: 640, height: 360, bitRate: bitRate, analysedSeconds: 8, masterSeconds: 8, frameRate: 30)
    }

    @Test("easy content: capped CRF on every rung, close rungs left out, the top and the floor kept")
    func easy() throws {
        let decided = PerTitleLadder.apply(to: try plan(), crf: 21, spacing: 1.4, probe: probe(100_000), segmentSeconds: 6)
        // Predicted 400k, 225k, 100k: 540p is only 1.78× below 720p (kept), 360p 2.25× below 540p (kept).
        #expect(decided.renditions.map(\.spec.name) == ["720p", "540p", "360p"])
        #expect(decided.renditions.allSatisfy { $0.rateControl?.mode == .cappedQuality && $0.rateControl?.crf == 21 })
        #expect(decided.renditions.map { $0.rateControl!.predictedBitRate } == [400_000, 225_000, 100_000])

        let tight = PerTitleLadder.apply(to: try plan(), crf: 21, spacing: 2, probe: probe(100_000), segmentSeconds: 6)
        #expect(tight.renditions.map(\.spec.name) == ["720p", "360p"])
        #expect(tight.perTitle?.droppedRenditions.map(\.name) == ["540p"])
        #expect(tight.perTitle?.droppedRenditions.first?.reason.contains("less than 2× below 720p") == true)
    }

    @Test("hard content keeps the profile's rate: never more bits than the fixed ladder")
    func hard() throws {
        let decided = PerTitleLadder.apply(to: try plan(), crf: 21, spacing: 1.4, probe: probe(900_000), segmentSeconds: 6)
        #expect(decided.renditions.map(\.spec.name) == ["720p", "540p", "360p"])
        #expect(decided.renditions.allSatisfy { $0.rateControl?.mode == .profileBitRate })
        let settings = VideoEncoderFactory.settings(
            for: decided.renditions[0], frameRate: Rational(30, 1),
            schedule: KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3), color: .unspecified, threads: 1)
        #expect(settings.bitRate == 2_800_000 && settings.maxRate == 3_080_000 && settings.options["crf"] == nil)
    }

    @Test("the VBV ceiling keeps a full segment under the rung's maxrate even with the buffer full")
    func caps() throws {
        let ceiling = PerTitleLadder.vbvCeiling(maxrate: 3_080_000, segmentSeconds: 6)
        // Worst case over one segment: ceiling × 6 s + the whole buffer.
        #expect(Double(ceiling.maxrate) * 6 + Double(ceiling.bufsize) <= 3_080_000 * 6)
        #expect(ceiling.maxrate > 2_600_000)
        let decided = PerTitleLadder.apply(to: try plan(), crf: 21, spacing: 1.4, probe: probe(100_000), segmentSeconds: 6)
        let settings = VideoEncoderFactory.settings(
            for: decided.renditions[0], frameRate: Rational(30, 1),
            schedule: KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3), color: .unspecified, threads: 1)
        #expect(settings.options["crf"] == "21.0")
        #expect(settings.bitRate == 0)
        #expect(settings.maxRate == ceiling.maxrate && settings.bufferSize == ceiling.bufsize)
    }
}

import FFmpegBridge
@testable import StrataMedia
import Testing

@Suite("Keyframe schedule")
struct KeyframeScheduleTests {
    @Test("30 fps, 2 s GOPs, 6 s segments")
    func whole() {
        let schedule = KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3)
        #expect((0..<200).filter(schedule.isKeyframe) == [0, 60, 120, 180])
        #expect(schedule.segmentIndex(startingAt: 180) == 1)
        #expect(schedule.segmentIndex(startingAt: 60) == nil)
        #expect(schedule.segmentStartSeconds(2) == 12)
        #expect(schedule.maxKeyframeDistance == 60)
    }

    @Test("29.97 fps puts each keyframe on the first frame at or after the boundary, without drift")
    func ntsc() {
        let schedule = KeyframeSchedule(frameRate: Rational(30000, 1001), gopSeconds: 2, gopsPerSegment: 3)
        #expect(schedule.keyframe(1) == 60)     // 59.94 → 60
        #expect(schedule.keyframe(3) == 180)    // 179.82 → 180
        #expect(schedule.keyframe(30) == 1799)  // 1798.2 → 1799, not 30 × 60
        #expect(schedule.isKeyframe(1799) && !schedule.isKeyframe(1800))
        #expect(schedule.maxKeyframeDistance == 60)
    }

    @Test("23.976 fps with 2 s GOPs never needs the encoder's own keyframes")
    func film() {
        let schedule = KeyframeSchedule(frameRate: Rational(24000, 1001), gopSeconds: 2, gopsPerSegment: 3)
        let keyframes = (0..<2000).filter(schedule.isKeyframe)
        let gaps = zip(keyframes.dropFirst(), keyframes).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 <= schedule.maxKeyframeDistance })
    }
}

@Suite("Output frame rate")
struct OutputFrameRateTests {
    static let cases: [(Rational, Double, Rational)] = [
        (Rational(500, 17), 60, Rational(30000, 1001)),
        (Rational(25, 1), 60, Rational(25, 1)),
        (Rational(60, 1), 30, Rational(30, 1)),
        (Rational(60000, 1001), 30, Rational(30000, 1001)),
        (Rational(15, 1), 60, Rational(15, 1)),
    ]

    @Test("measured rates snap to broadcast rates and are halved above the cap", arguments: cases)
    func choose(measured: Rational, cap: Double, expected: Rational) {
        #expect(OutputFrameRate.choose(average: measured, base: nil, maxFrameRate: cap) == expected)
    }

    @Test("an unknown rate falls back to 25")
    func unknown() {
        #expect(OutputFrameRate.choose(average: Rational(0, 0), base: nil, maxFrameRate: 60) == Rational(25, 1))
    }
}

@Suite("Fast start")
struct FastStartScheduleTests {
    @Test("the first segment is one GOP, the second the rest of the first full segment, then the profile's")
    func fastStart() {
        let schedule = KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3, fastStart: true)
        #expect((0..<5).map(schedule.segmentStartSeconds) == [0, 2, 6, 12, 18])
        #expect(schedule.segmentIndex(startingAt: 0) == 0)
        #expect(schedule.segmentIndex(startingAt: 60) == 1)
        #expect(schedule.segmentIndex(startingAt: 120) == nil, "a keyframe inside segment 1")
        #expect(schedule.segmentIndex(startingAt: 180) == 2)
        #expect(schedule.segmentIndex(startingAt: 360) == 3)
        #expect(schedule.isKeyframe(120))
    }

    @Test("with one GOP per segment, fast start changes nothing")
    func oneGOP() {
        let plain = KeyframeSchedule(frameRate: Rational(25, 1), gopSeconds: 2, gopsPerSegment: 1)
        let fast = KeyframeSchedule(frameRate: Rational(25, 1), gopSeconds: 2, gopsPerSegment: 1, fastStart: true)
        #expect((0..<6).map(plain.segmentStart) == (0..<6).map(fast.segmentStart))
        #expect((0..<300).map(plain.segmentIndex) == (0..<300).map(fast.segmentIndex))
    }
}

@Suite("Keyframe schedule for fixed intra periods")
struct WholeFrameKeyframeScheduleTests {
    @Test("29.97 fps with whole-frame GOPs: a keyframe every 60 frames, segments every 180, at any length")
    func ntscWhole() {
        let schedule = KeyframeSchedule(frameRate: Rational(30000, 1001), gopSeconds: 2, gopsPerSegment: 3, wholeFrameGOPs: true)
        #expect((0..<250).filter(schedule.isKeyframe) == [0, 60, 120, 180, 240])
        #expect(schedule.keyframe(3000) == 180_000, "no drift after 100 minutes")
        #expect(schedule.segmentIndex(startingAt: 180_000) == 1000)
        #expect(schedule.segmentIndex(startingAt: 179_940) == nil)
    }

    @Test("whole-frame GOPs change nothing when a GOP is a whole number of frames")
    func sameWhenWhole() {
        let plain = KeyframeSchedule(frameRate: Rational(25, 1), gopSeconds: 2, gopsPerSegment: 3)
        let whole = KeyframeSchedule(frameRate: Rational(25, 1), gopSeconds: 2, gopsPerSegment: 3, wholeFrameGOPs: true)
        #expect((0..<1000).filter(plain.isKeyframe) == (0..<1000).filter(whole.isKeyframe))
    }
}

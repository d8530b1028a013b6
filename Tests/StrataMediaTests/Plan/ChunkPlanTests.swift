import FFmpegBridge
@testable import StrataMedia
import Testing

@Suite("Chunk plan")
struct ChunkPlanTests {
    @Test("chunks of 10 six-second segments over 5 minutes at 30 fps: contiguous, on segment starts, the last runs to the end")
    func wholeSegments() {
        let schedule = KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3)
        let plan = ChunkPlan(schedule: schedule, masterSeconds: 300, segmentsPerChunk: 10, offsetFrames: 3)
        #expect(plan.chunks.map(\.frames.first) == [0, 1800, 3600, 5400, 7200])
        #expect(plan.chunks.map(\.frames.end) == [1800, 3600, 5400, 7200, nil])
        #expect(plan.chunks.map(\.firstSegment) == [0, 10, 20, 30, 40])
        #expect(plan.chunks.map(\.firstFragment) == [0, 30, 60, 90, 120], "three GOPs, so three fragments, per segment")
        #expect(plan.chunks.allSatisfy { schedule.isKeyframe($0.frames.first) })
    }

    @Test("a last chunk shorter than half a chunk joins the one before it; a master shorter than a chunk is one chunk")
    func noSliver() {
        let schedule = KeyframeSchedule(frameRate: Rational(25, 1), gopSeconds: 2, gopsPerSegment: 3)
        // 130 s: chunks of 60 s at 0 and 60; what is left after 120 s (10 s) is too short to stand alone.
        let plan = ChunkPlan(schedule: schedule, masterSeconds: 130, segmentsPerChunk: 10, offsetFrames: 2)
        #expect(plan.chunks.map(\.frames.first) == [0, 1500])
        #expect(plan.chunks.last?.frames.end == nil)
        #expect(ChunkPlan(schedule: schedule, masterSeconds: 20, segmentsPerChunk: 10, offsetFrames: 2).chunks.count == 1)
    }

    @Test("fast start: the one-GOP first segment counts as a segment, and fragments follow the split")
    func fastStart() {
        var schedule = KeyframeSchedule(frameRate: Rational(30, 1), gopSeconds: 2, gopsPerSegment: 3)
        schedule.fastStart = true
        let plan = ChunkPlan(schedule: schedule, masterSeconds: 60, segmentsPerChunk: 4, offsetFrames: 3)
        // Segments start at 0, 2, 6, 12, 18, …: chunk 1 begins with segment 4 (18 s), after keyframes 0…8.
        #expect(plan.chunks.map(\.frames.first) == [0, 540, 1260])
        #expect(plan.chunks.map(\.firstFragment) == [0, 9, 21])
        #expect(plan.chunks.map(\.firstSegment) == [0, 4, 8])
    }
}

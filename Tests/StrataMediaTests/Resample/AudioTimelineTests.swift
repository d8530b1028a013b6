@testable import StrataMedia
import Testing

@Suite("Audio timeline")
struct AudioTimelineTests {
    @Test("audio that starts after the video is preceded by silence")
    func lateStart() {
        var timeline = AudioTimeline(sampleRate: 48000)
        #expect(timeline.silenceBefore(frameAt: 0.5, frameSamples: 1024) == 24000)
        #expect(timeline.drop(from: 5000) == 0)
    }

    @Test("audio that starts before the video loses its head")
    func earlyStart() {
        var timeline = AudioTimeline(sampleRate: 48000)
        #expect(timeline.silenceBefore(frameAt: -0.1, frameSamples: 1024) == 0)
        #expect(timeline.drop(from: 1024) == 1024)
        #expect(timeline.silenceBefore(frameAt: -0.1 + 1024.0 / 48000, frameSamples: 1024) == 0)
        // 0.1 s is 4800 samples: 1024 went already, 3776 remain to drop.
        #expect(timeline.drop(from: 4000) == 3776)
        #expect(timeline.drop(from: 4000) == 0)
    }

    @Test("a hole in the source is filled with silence; small jitter is ignored")
    func gaps() {
        var timeline = AudioTimeline(sampleRate: 48000)
        _ = timeline.silenceBefore(frameAt: 0, frameSamples: 48000)
        #expect(timeline.silenceBefore(frameAt: 1.002, frameSamples: 1024) == 0)
        // Placed so far: 48000 + 1024 samples; the frame belongs at 120000.
        #expect(timeline.silenceBefore(frameAt: 2.5, frameSamples: 1024) == 120_000 - 48000 - 1024)
    }
}

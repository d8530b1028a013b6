import StrataManifest

/// Hand-made package facts shaped like a real 14 s, two-rung package with main audio and audio description.
enum Fixtures {
    static func videoTimeline(_ name: String, sizes: [Int]) -> TrackTimeline {
        // 30 fps in a 15360 timescale: 512 ticks per frame; presentation starts 2 frames in (1024).
        let durations: [Int64] = [92160, 92160, 30720]
        var start: Int64 = 1024
        let segments = zip(sizes, durations).enumerated().map { index, pair -> SegmentFacts in
            defer { start += pair.1 }
            return SegmentFacts(file: "seg-\(index + 1).m4s", start: start, duration: pair.1, byteCount: pair.0)
        }
        return TrackTimeline(directory: "video/\(name)", timescale: 15360, presentationTimeOffset: 1024, segments: segments)
    }

    static func iFrames(_ sizes: [Int]) -> [IFrameFacts] {
        sizes.enumerated().map { index, size in
            IFrameFacts(file: "seg-\(index / 3 + 1).m4s", byteOffset: index % 3 == 0 ? 20 : 20 + index % 3 * 100_000,
                        byteCount: size, start: 1024 + Int64(index) * 30720, duration: 30720)
        }
    }

    static func audioTimeline(_ id: String) -> TrackTimeline {
        TrackTimeline(directory: "audio/\(id)", timescale: 48000, presentationTimeOffset: 3200, segments: [
            SegmentFacts(file: "seg-1.m4s", start: 2176, duration: 289792, byteCount: 97_000),
            SegmentFacts(file: "seg-2.m4s", start: 291968, duration: 288768, byteCount: 96_500),
            SegmentFacts(file: "seg-3.m4s", start: 580736, duration: 94464, byteCount: 32_000),
        ])
    }

    static let video = [
        VideoTrackFacts(id: "720p", width: 1280, height: 720, frameRate: FrameRate(30), codecs: "avc1.64001f",
                        timeline: videoTimeline("720p", sizes: [2_100_000, 2_250_000, 700_000]),
                        iFrames: iFrames([40_000, 41_000, 42_000, 43_000, 44_000, 45_000, 46_000])),
        VideoTrackFacts(id: "360p", width: 640, height: 360, frameRate: FrameRate(30), codecs: "avc1.4d401e",
                        timeline: videoTimeline("360p", sizes: [600_000, 610_000, 200_000]),
                        iFrames: iFrames([12_000, 12_100, 12_200, 12_300, 12_400, 12_500, 12_600])),
    ]

    static let mainAudio = AudioTrackFacts(id: "en", language: "en", name: "English", role: .main, isDefault: true,
                                           channels: 2, sampleRate: 48000, codecs: "mp4a.40.2", timeline: audioTimeline("en"))
    static let describedAudio = AudioTrackFacts(id: "en-description", language: "en", name: "English (described)", role: .description,
                                                isDefault: false, channels: 2, sampleRate: 48000, codecs: "mp4a.40.2",
                                                timeline: audioTimeline("en-description"))

    static let simple = PackageFacts(video: video, audio: [mainAudio], targetSegmentSeconds: 6)
    static let withDescription = PackageFacts(video: video, audio: [mainAudio, describedAudio], targetSegmentSeconds: 6)
}

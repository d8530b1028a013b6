import Foundation
import Logging
import StrataManifest

/// Writes planned caption tracks as WebVTT on a packaged video's segment boundaries.
struct CaptionTrackWriter {
    let video: TrackTimeline
    let logger: Logger

    /// Presentation seconds where each video segment starts, then where the last ends.
    var boundaries: [Double] {
        video.segments.map { video.seconds($0.start - video.presentationTimeOffset) } + [video.presentationDurationSeconds]
    }

    func write(_ tracks: [PlannedCaptionTrack], masterCues: [Int: [Cue]], to root: URL) throws -> [SubtitleTrackFacts] {
        let segmenter = WebVTTSegmenter(boundaries: boundaries, presentationOffset: video.seconds(video.presentationTimeOffset))
        return try tracks.map { track in
            let cues: [Cue]
            switch track.source {
            case .master(let stream): cues = masterCues[stream.index] ?? []
            case .sidecar(_, let sidecarCues): cues = sidecarCues
            }
            let directory = "subtitles/\(track.label.id)"
            let segments = try segmenter.write(clip(cues, track: track.label.id), to: root.appendingPathComponent(directory))
            return SubtitleTrackFacts(
                id: track.label.id, language: track.label.language, name: track.label.name, kind: track.label.kind,
                isDefault: false, directory: directory, sidecarFile: WebVTTSegmenter.sidecarFile, segments: segments)
        }
    }

    /// Cues within the presentation: later ones are dropped, overlong ones end with the video.
    private func clip(_ cues: [Cue], track: String) -> [Cue] {
        let end = video.presentationDurationSeconds
        let kept = cues.filter { $0.start < end }
        if kept.count < cues.count {
            logger.warning("captions continue after the video ends; dropped the rest",
                           metadata: ["track": "\(track)", "dropped": "\(cues.count - kept.count)"])
        }
        return kept.map { cue in
            var clipped = cue
            clipped.start = max(0, cue.start)
            clipped.end = min(cue.end, end)
            return clipped
        }
    }
}

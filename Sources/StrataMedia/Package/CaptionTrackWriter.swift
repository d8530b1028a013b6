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

    /// A segmenter cutting on the video's segment boundaries.
    var segmenter: WebVTTSegmenter {
        WebVTTSegmenter(boundaries: boundaries, presentationOffset: video.seconds(video.presentationTimeOffset))
    }

    func write(_ tracks: [PlannedCaptionTrack], masterCues: [Int: [Cue]], to root: URL) throws -> [SubtitleTrackFacts] {
        let segmenter = self.segmenter
        return try tracks.map { track in
            let segments = try segmenter.write(clip(CaptionTrackWriter.cues(of: track, masterCues: masterCues), track: track.label.id),
                                               to: root.appendingPathComponent(CaptionTrackWriter.directory(of: track.label)))
            return CaptionTrackWriter.facts(of: track.label, segments: segments)
        }
    }

    /// The track's cues: from the master's stream or its sidecar file.
    static func cues(of track: PlannedCaptionTrack, masterCues: [Int: [Cue]]) -> [Cue] {
        switch track.source {
        case .master(let stream): masterCues[stream.index] ?? []
        case .sidecar(_, let sidecarCues): sidecarCues
        }
    }

    static func directory(of label: CaptionTrackLabel) -> String { "subtitles/\(label.id)" }

    static func facts(of label: CaptionTrackLabel, segments: [SubtitleSegmentFacts]) -> SubtitleTrackFacts {
        SubtitleTrackFacts(id: label.id, language: label.language, name: label.name, kind: label.kind, isDefault: false,
                           directory: directory(of: label), sidecarFile: WebVTTSegmenter.sidecarFile, segments: segments)
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

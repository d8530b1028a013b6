import Foundation
import StrataManifest

/// Writes a caption track as WebVTT: one file per video segment for HLS (each starting with `WEBVTT`
/// and `X-TIMESTAMP-MAP`, a cue spanning a boundary repeated in both segments), which DASH uses too, and one
/// whole file for download.
struct WebVTTSegmenter {
    /// Whole-track file name.
    static let sidecarFile = "all.vtt"

    /// Presentation seconds where each segment starts, and where the last one ends.
    let boundaries: [Double]
    /// Media time (seconds) of presentation zero in the audio and video tracks: the cues' `X-TIMESTAMP-MAP`.
    let presentationOffset: Double

    /// Writes `cues` into `directory` and returns the segments written.
    func write(_ cues: [Cue], to directory: URL) throws -> [SubtitleSegmentFacts] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let segments = try (0..<(boundaries.count - 1)).map { try writeSegment($0, cues: cues, to: directory) }
        try Data(WebVTTSegmenter.render(cues, header: "WEBVTT").utf8).write(to: directory.appendingPathComponent(WebVTTSegmenter.sidecarFile))
        return segments
    }

    /// Writes segment `index` (0-based, between `boundaries[index]` and the next) of `cues`, replacing
    /// any old file by renaming, and returns its facts.
    func writeSegment(_ index: Int, cues: [Cue], to directory: URL) throws -> SubtitleSegmentFacts {
        let start = boundaries[index], end = boundaries[index + 1]
        let inside = cues.filter { $0.start < end && $0.end > start }
        // HLS: cue times map to media time through X-TIMESTAMP-MAP (90 kHz clock).
        let mpegts = Int64((presentationOffset * 90_000).rounded())
        let text = WebVTTSegmenter.render(inside, header: "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\(mpegts),LOCAL:00:00:00.000")
        let file = SubtitleTrackFacts.segmentFile(number: index + 1)
        try Data(text.utf8).write(to: directory.appendingPathComponent(file), options: .atomic)
        return SubtitleSegmentFacts(file: file, durationSeconds: end - start, byteCount: text.utf8.count)
    }

    static func render(_ cues: [Cue], header: String) -> String {
        var text = header + "\n\n"
        for cue in cues {
            text += "\(CueTiming.format(cue.start)) --> \(CueTiming.format(cue.end))"
            text += cue.settings.isEmpty ? "\n" : " \(cue.settings)\n"
            text += cue.text + "\n\n"
        }
        return text
    }
}

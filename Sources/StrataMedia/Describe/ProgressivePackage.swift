import Foundation
import Logging
import StrataManifest
import Synchronization

/// A package players can read while it is being made: whenever every audio and video track has finished
/// segment k, the caption segments up to k are written and every manifest is rewritten (each file by an
/// atomic rename) as EVENT playlists and a dynamic MPD listing segments 1…k. The final manifests replace
/// them at the end (`ManifestWriter`).
///
/// A journal of what was published lets a run interrupted by a crash start again in the same folder:
/// the segments listed there stay as they are (`publishedSegments(of:)`) and nothing is listed twice.
final class ProgressivePackage: PackageListener {
    /// What has been published, kept beside the manifests (a dot file: never served).
    struct Journal: Codable, Sendable {
        var availabilityStart: Date
        var facts: PackageFacts
    }

    static let journalFile = ".progress.json"

    /// Seconds a DASH client waits before fetching the dynamic MPD again.
    static let updatePeriodSeconds = 2.0

    private struct State {
        var tracks: FinishedTracks
        var subtitleSegments: [String: [SubtitleSegmentFacts]] = [:]
        /// Segments per track listed in the manifests.
        var published = 0
        var availabilityStart: Date?
    }

    private let state: Mutex<State>
    private let root: URL
    private let captions: [(label: CaptionTrackLabel, cues: [Cue])]
    private let targetSegmentSeconds: Double
    private let provisionalBitRates: [String: Int]
    private let earlier: Journal?
    private let onPublish: @Sendable (Double) -> Void

    /// - Parameters:
    ///   - earlier: the journal of an interrupted run in `root`, to continue from.
    ///   - onPublish: called with the seconds players can watch, each time more become available.
    init(root: URL, videoCount: Int, audioCount: Int, captions: [(label: CaptionTrackLabel, cues: [Cue])],
         targetSegmentSeconds: Double, provisionalBitRates: [String: Int], earlier: Journal?,
         onPublish: @escaping @Sendable (Double) -> Void) {
        self.root = root
        self.captions = captions
        self.targetSegmentSeconds = targetSegmentSeconds
        self.provisionalBitRates = provisionalBitRates
        self.earlier = earlier
        self.onPublish = onPublish
        state = Mutex(State(tracks: FinishedTracks(videoCount: videoCount, audioCount: audioCount)))
        if let earlier {
            state.withLock { state in
                state.published = earlier.facts.video.first?.timeline.segments.count ?? 0
                state.availabilityStart = earlier.availabilityStart
                for track in earlier.facts.subtitles { state.subtitleSegments[track.directory] = track.segments }
            }
        }
    }

    // MARK: Folder

    /// Prepares `destination` for a progressive run and returns the journal of an interrupted one when
    /// `resume` is set and there is one. Otherwise an existing folder is emptied when `overwrite` allows.
    static func prepare(_ destination: URL, overwrite: Bool, resume: Bool) throws(TranscodeError) -> Journal? {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) {
            if resume, let earlier = try journal(in: destination) {
                return earlier
            }
            guard overwrite || resume else {
                throw TranscodeError(.output, "output '\(destination.path)' already exists; choose another folder or pass --overwrite")
            }
            do { try manager.removeItem(at: destination) } catch {
                throw TranscodeError(.output, "cannot empty '\(destination.path)': \(error.localizedDescription)")
            }
        }
        do {
            try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError(.output, "cannot create '\(destination.path)': \(error.localizedDescription)")
        }
        return nil
    }

    /// The journal of what was published in `root` before, if anything was.
    static func journal(in root: URL) throws(TranscodeError) -> Journal? {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(journalFile).path) else { return nil }
        do {
            return try JSONDecoder().decode(Journal.self, from: data)
        } catch {
            throw TranscodeError(.output, "cannot resume in '\(root.path)': its \(journalFile) is unreadable (\(error))")
        }
    }

    /// Refuses to continue an interrupted run whose tracks were different: its playlists would change shape.
    func checkTracks(video: [String], audio: [String]) throws(TranscodeError) {
        guard let earlier else { return }
        let before = (earlier.facts.video.map(\.timeline.directory), earlier.facts.audio.map(\.timeline.directory),
                      earlier.facts.subtitles.map(\.directory))
        let now = (video, audio, captions.map { CaptionTrackWriter.directory(of: $0.label) })
        guard before == now else {
            throw TranscodeError(.output, "cannot resume in '\(root.path)': the interrupted run had other tracks; start from scratch")
        }
    }

    // MARK: PackageListener

    func trackOpened(_ facts: OpenedTrack) {
        state.withLock { $0.tracks.open(facts) }
    }

    func publishedSegments(of directory: String) -> PublishedSegments {
        guard let earlier else { return .none }
        return PublishedSegments(of: directory, video: earlier.facts.video, audio: earlier.facts.audio)
    }

    func segmentFinished(directory: String, segment: SegmentFacts, iFrames: [IFrameFacts]) throws {
        try segmentsFinished([FinishedSegment(directory: directory, segment: segment, iFrames: iFrames)])
    }

    /// A finished segment of the track in `directory`, with the I-frames inside it (video only).
    struct FinishedSegment {
        var directory: String
        var segment: SegmentFacts
        var iFrames: [IFrameFacts] = []
    }

    /// Several segments finished at once (a chunk encoded elsewhere), in each track's order: the manifests are
    /// rewritten once, for all of them.
    func segmentsFinished(_ finished: [FinishedSegment]) throws {
        try state.withLock { state in
            for item in finished {
                state.tracks.add(directory: item.directory, segment: item.segment, iFrames: item.iFrames)
            }
            if let complete = state.tracks.complete, complete > state.published {
                try publish(complete, state: &state)
            }
        }
    }

    // MARK: Publishing

    /// Lists segments 1…`count` of every track in every manifest.
    private func publish(_ count: Int, state: inout State) throws {
        let video = state.tracks.videoTracks(through: count)
        let audio = state.tracks.audioTracks(through: count)
        let subtitles = try writeCaptions(through: count, video: video[0].timeline, state: &state)
        let facts = PackageFacts(video: video, audio: audio, subtitles: subtitles, targetSegmentSeconds: targetSegmentSeconds)
        let now = Date()
        let start = state.availabilityStart ?? now
        // The journal first: a crash between the two leaves it ahead of the manifests, never behind.
        try ManifestWriter.writeJSON(Journal(availabilityStart: start, facts: facts), to: root.appendingPathComponent(ProgressivePackage.journalFile))
        let growing = GrowingPackage(availabilityStart: start, publishTime: now, updatePeriodSeconds: ProgressivePackage.updatePeriodSeconds,
                                     provisionalBitRates: provisionalBitRates)
        try ManifestWriter.write(facts, growing: growing, to: root)
        state.availabilityStart = start
        state.published = count
        let ready = (video.map(\.timeline.presentationDurationSeconds) + audio.map(\.timeline.presentationDurationSeconds)).min() ?? 0
        onPublish(ready)
    }

    /// Writes the caption segments not written yet, up to `count`, on the video's boundaries.
    private func writeCaptions(through count: Int, video: TrackTimeline, state: inout State) throws -> [SubtitleTrackFacts] {
        let segmenter = CaptionTrackWriter(video: video, logger: Logger(label: "strata.captions")).segmenter
        return try captions.map { track in
            let directory = CaptionTrackWriter.directory(of: track.label)
            var segments = state.subtitleSegments[directory, default: []]
            let folder = root.appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            while segments.count < count {
                segments.append(try segmenter.writeSegment(segments.count, cues: track.cues, to: folder))
            }
            state.subtitleSegments[directory] = segments
            return CaptionTrackWriter.facts(of: track.label, segments: segments)
        }
    }
}

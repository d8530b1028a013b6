import Foundation
import StrataManifest
import Synchronization

/// The segments a unit of a chunked transcode has finished so far, track by track.
struct UnitJournal: Codable, Sendable, Equatable {
    var video: [VideoTrackFacts] = []
    var audio: [AudioTrackFacts] = []

    /// Segments every track of the unit has finished.
    var segmentCount: Int { (video.map(\.timeline.segments.count) + audio.map(\.timeline.segments.count)).min() ?? 0 }
}

/// What a chunk or audio unit has finished so far, kept in the work folder while it encodes
/// (`chunk-k.partial.json`, `audio.partial.json`): every track's segments up to the last one all its tracks have
/// finished. The job's `ChunkTimelineFeed` lists the audio's and the leading chunk's segments from it as they come,
/// so a package encoded in chunks plays about as soon after upload as one encoded whole.
///
/// Segments once in the journal may already be in players' hands: a worker that takes the unit over after a crash
/// keeps them exactly as they are (`publishedSegments(of:)`) and encodes the rest.
final class UnitProgressJournal: PackageListener {
    private struct State {
        var video: [Int: VideoTrackFacts] = [:]
        var audio: [Int: AudioTrackFacts] = [:]
        var segments: [String: [SegmentFacts]] = [:]
        var iFrames: [String: [IFrameFacts]] = [:]
        var written = 0
    }

    private let state = Mutex(State())
    private let work: ChunkWorkFolder
    private let file: String
    private let tracks: (video: Int, audio: Int)
    private let earlier: UnitJournal?

    init(work: ChunkWorkFolder, file: String, videoTracks: Int, audioTracks: Int) {
        self.work = work
        self.file = file
        tracks = (videoTracks, audioTracks)
        earlier = try? work.read(UnitJournal.self, from: file, madeBy: "an earlier attempt")
        state.withLock { $0.written = earlier?.segmentCount ?? 0 }
    }

    func trackOpened(_ facts: OpenedTrack) {
        state.withLock { state in
            switch facts {
            case .video(let video, let index): state.video[index] = video
            case .audio(let audio, let index): state.audio[index] = audio
            }
        }
    }

    func publishedSegments(of directory: String) -> PublishedSegments {
        if let track = earlier?.video.first(where: { $0.timeline.directory == directory }) {
            return PublishedSegments(segments: track.timeline.segments, iFrames: track.iFrames)
        }
        if let track = earlier?.audio.first(where: { $0.timeline.directory == directory }) {
            return PublishedSegments(segments: track.timeline.segments)
        }
        return .none
    }

    func segmentFinished(directory: String, segment: SegmentFacts, iFrames: [IFrameFacts]) throws {
        try state.withLock { state in
            state.segments[directory, default: []].append(segment)
            state.iFrames[directory, default: []].append(contentsOf: iFrames)
            guard state.video.count == tracks.video, state.audio.count == tracks.audio else { return }
            let directories = state.video.values.map(\.timeline.directory) + state.audio.values.map(\.timeline.directory)
            let complete = directories.map { state.segments[$0]?.count ?? 0 }.min() ?? 0
            guard complete > state.written else { return }
            var journal = UnitJournal()
            journal.video = (0..<tracks.video).compactMap { state.video[$0] }.map { track in
                var facts = track
                facts.timeline.segments = Array(state.segments[track.timeline.directory, default: []].prefix(complete))
                let files = Set(facts.timeline.segments.map(\.file))
                facts.iFrames = state.iFrames[track.timeline.directory, default: []].filter { files.contains($0.file) }
                return facts
            }
            journal.audio = (0..<tracks.audio).compactMap { state.audio[$0] }.map { track in
                var facts = track
                facts.timeline.segments = Array(state.segments[track.timeline.directory, default: []].prefix(complete))
                return facts
            }
            try work.write(journal, as: file)
            state.written = complete
        }
    }
}

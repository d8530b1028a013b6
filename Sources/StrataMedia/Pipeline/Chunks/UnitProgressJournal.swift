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
        var tracks: FinishedTracks
        var written: Int
    }

    private let state: Mutex<State>
    private let work: ChunkWorkFolder
    private let file: String
    private let earlier: UnitJournal?

    init(work: ChunkWorkFolder, file: String, videoTracks: Int, audioTracks: Int) {
        self.work = work
        self.file = file
        earlier = try? work.read(UnitJournal.self, from: file, madeBy: "an earlier attempt")
        state = Mutex(State(tracks: FinishedTracks(videoCount: videoTracks, audioCount: audioTracks), written: earlier?.segmentCount ?? 0))
    }

    func trackOpened(_ facts: OpenedTrack) {
        state.withLock { $0.tracks.open(facts) }
    }

    func publishedSegments(of directory: String) -> PublishedSegments {
        guard let earlier else { return .none }
        return PublishedSegments(of: directory, video: earlier.video, audio: earlier.audio)
    }

    func segmentFinished(directory: String, segment: SegmentFacts, iFrames: [IFrameFacts]) throws {
        try state.withLock { state in
            state.tracks.add(directory: directory, segment: segment, iFrames: iFrames)
            guard let complete = state.tracks.complete, complete > state.written else { return }
            try work.write(UnitJournal(video: state.tracks.videoTracks(through: complete), audio: state.tracks.audioTracks(through: complete)),
                           as: file)
            state.written = complete
        }
    }
}

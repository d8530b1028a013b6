import Foundation
import StrataManifest
import Synchronization

/// What a chunk unit has finished so far, kept in the work folder while it encodes (`chunk-k.partial.json`): every
/// rung's segments up to the last one all rungs have finished. The job's `ChunkTimelineFeed` lists the leading
/// chunk's segments from it as they come, so a package encoded in chunks plays as soon after upload as one encoded
/// whole.
///
/// Segments once in the journal may already be in players' hands: a worker that takes the chunk over after a crash
/// keeps them exactly as they are (`publishedSegments(of:)`) and encodes the rest.
final class ChunkProgressJournal: PackageListener {
    private struct State {
        var video: [Int: VideoTrackFacts] = [:]
        var segments: [String: [SegmentFacts]] = [:]
        var iFrames: [String: [IFrameFacts]] = [:]
        var written = 0
    }

    private let state = Mutex(State())
    private let work: ChunkWorkFolder
    private let chunk: ChunkPlan.Chunk
    private let videoCount: Int
    private let earlier: ChunkFacts?

    init(work: ChunkWorkFolder, chunk: ChunkPlan.Chunk, videoCount: Int) {
        self.work = work
        self.chunk = chunk
        self.videoCount = videoCount
        earlier = try? work.read(ChunkFacts.self, from: ChunkWorkFolder.partialChunk(chunk.index), madeBy: "an earlier attempt")
        state.withLock { $0.written = earlier?.video.first?.timeline.segments.count ?? 0 }
    }

    func trackOpened(_ facts: OpenedTrack) {
        if case .video(let video, let index) = facts {
            state.withLock { $0.video[index] = video }
        }
    }

    func publishedSegments(of directory: String) -> PublishedSegments {
        guard let track = earlier?.video.first(where: { $0.timeline.directory == directory }) else { return .none }
        return PublishedSegments(segments: track.timeline.segments, iFrames: track.iFrames)
    }

    func segmentFinished(directory: String, segment: SegmentFacts, iFrames: [IFrameFacts]) throws {
        try state.withLock { state in
            state.segments[directory, default: []].append(segment)
            state.iFrames[directory, default: []].append(contentsOf: iFrames)
            guard state.video.count == videoCount else { return }
            let complete = state.video.values.map { state.segments[$0.timeline.directory]?.count ?? 0 }.min() ?? 0
            guard complete > state.written else { return }
            let video = (0..<videoCount).compactMap { state.video[$0] }.map { track in
                var facts = track
                facts.timeline.segments = Array(state.segments[track.timeline.directory, default: []].prefix(complete))
                let files = Set(facts.timeline.segments.map(\.file))
                facts.iFrames = state.iFrames[track.timeline.directory, default: []].filter { files.contains($0.file) }
                return facts
            }
            try work.write(ChunkFacts(index: chunk.index, frames: chunk.frames, video: video, wallSeconds: 0),
                           as: ChunkWorkFolder.partialChunk(chunk.index))
            state.written = complete
        }
    }
}

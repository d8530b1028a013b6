import Foundation
import Logging
import StrataManifest
import Synchronization

/// Makes a package encoded in chunks playable while its chunks are still being encoded: the units' facts, arriving
/// in any order from any worker, feed a `ProgressivePackage` with finished segments, in timeline order, as a single
/// run's track writers do. Once the audio is done, the leading chunk's segments are listed as its worker finishes
/// them (`leadingChunkProgressed`, from the chunk's `ChunkProgressJournal`), and when it is done, those of the chunks
/// after it that are done too, with one rewrite of the manifests. The manifests only ever grow at their end; the
/// assembly's final manifests replace them.
///
/// Whoever follows the job runs one feed; another one after a restart continues from the package's journal.
public final class ChunkTimelineFeed: Sendable {
    private struct State {
        /// Chunks done, waiting for those before them.
        var waiting: [Int: ChunkFacts] = [:]
        var nextChunk = 0
        /// Segments (per rung) of chunk `nextChunk` handed on while it encodes.
        var leadingSegments = 0
        var videoOpened = false
        var audio: AudioPartFacts?
    }

    private let state = Mutex(State())
    private let package: ProgressivePackage
    private let work: ChunkWorkFolder
    private let lastChunk: Int

    /// - Parameter onPublish: called with the seconds players can watch, each time more are listed.
    public init(_ request: TranscodeRequest, plan: ChunkPlan, logger: Logger,
                onPublish: @escaping @Sendable (Double) -> Void) throws(TranscodeError) {
        let (_, prepared) = try PreparedTranscode.open(request, following: plan, logger: logger)
        let earlier = try ProgressivePackage.journal(in: request.outputDirectory)
        package = try prepared.progressivePackage(request, ladder: prepared.plan, masterCues: try prepared.masterCues(request, logger: logger),
                                                  earlier: earlier, onPublish: onPublish)
        work = ChunkWorkFolder(package: request.outputDirectory)
        lastChunk = plan.chunks.count - 1
    }

    /// The audio unit is done: every track is opened and its segments handed on.
    public func audioFinished(_ facts: AudioPartFacts) throws(TranscodeError) {
        try feed { state throws in
            guard state.audio == nil else { return }
            state.audio = facts
            for (index, track) in facts.audio.enumerated() {
                var opened = track
                opened.timeline.segments = []
                package.trackOpened(.audio(opened, index: index))
            }
            let audio = facts.audio.flatMap { track in
                track.timeline.segments.map { ProgressivePackage.FinishedSegment(directory: track.timeline.directory, segment: $0) }
            }
            try package.segmentsFinished(audio + leadingChunks(&state))
        }
    }

    /// A chunk unit is done: its segments are handed on with those of every chunk before it that is done too.
    public func chunkFinished(_ facts: ChunkFacts) throws(TranscodeError) {
        try feed { state throws in
            guard facts.index >= state.nextChunk else { return }
            state.waiting[facts.index] = facts
            try package.segmentsFinished(leadingChunks(&state))
        }
    }

    /// Lists the segments the leading chunk's worker has finished since the last call, once the audio is done
    /// (the last chunk is listed only whole, with audio that ends where it ends). Cheap to call often: it reads one
    /// small file.
    public func leadingChunkProgressed() throws(TranscodeError) {
        try feed { state throws in
            guard state.audio != nil, state.nextChunk < lastChunk,
                  let partial = try? work.read(ChunkFacts.self, from: ChunkWorkFolder.partialChunk(state.nextChunk), madeBy: "the chunk"),
                  partial.index == state.nextChunk else { return }
            let finished = segments(of: partial, after: state.leadingSegments, state: &state)
            state.leadingSegments = max(state.leadingSegments, partial.video.first?.timeline.segments.count ?? 0)
            try package.segmentsFinished(finished)
        }
    }

    /// The segments of the chunks now next in line, which leave the waiting room.
    private func leadingChunks(_ state: inout State) -> [ProgressivePackage.FinishedSegment] {
        var finished: [ProgressivePackage.FinishedSegment] = []
        while let chunk = state.waiting[state.nextChunk] {
            // The last chunk waits for audio cut at its real end; audio cut elsewhere is redone by the assembly.
            if chunk.index == lastChunk && state.audio?.videoEndFrame != chunk.frames.end { break }
            state.waiting[chunk.index] = nil
            finished += segments(of: chunk, after: state.leadingSegments, state: &state)
            state.nextChunk += 1
            state.leadingSegments = 0
        }
        return finished
    }

    /// `chunk`'s segments after its first `count` in every rung; the video tracks are opened with chunk 0's first.
    private func segments(of chunk: ChunkFacts, after count: Int, state: inout State) -> [ProgressivePackage.FinishedSegment] {
        if !state.videoOpened {
            for (index, track) in chunk.video.enumerated() {
                var opened = track
                (opened.timeline.segments, opened.iFrames) = ([], [])
                package.trackOpened(.video(opened, index: index))
            }
            state.videoOpened = true
        }
        return chunk.video.flatMap { track in
            track.timeline.segments.dropFirst(count).map { segment in
                ProgressivePackage.FinishedSegment(directory: track.timeline.directory, segment: segment,
                                                   iFrames: track.iFrames.filter { $0.file == segment.file })
            }
        }
    }

    private func feed(_ body: (inout State) throws -> Void) throws(TranscodeError) {
        do {
            try state.withLock { try body(&$0) }
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError(.output, "cannot list the chunks encoded so far: \(error.localizedDescription)")
        }
    }
}

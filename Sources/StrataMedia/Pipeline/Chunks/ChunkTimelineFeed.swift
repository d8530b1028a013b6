import Foundation
import Logging
import StrataManifest
import Synchronization

/// Makes a package encoded in chunks playable while its chunks are still being encoded: the units' facts, arriving
/// in any order from any worker, feed a `ProgressivePackage` with finished segments, in timeline order, as a single
/// run's track writers do. The audio's and the leading chunk's segments are listed as their workers finish them
/// (`unitsProgressed`, from the units' `UnitProgressJournal`s); when a chunk is done, those of the chunks after it
/// that are done too follow, with one rewrite of the manifests. A segment is listed once every track has it. The
/// manifests only ever grow at their end; the assembly's final manifests replace them.
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
        /// Segments (per track) of the audio handed on while it encodes.
        var audioSegments = 0
        var audioOpened = false
        /// The audio unit's facts, once it is done.
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
            try package.segmentsFinished(audioSegments(facts.audio, state: &state) + leadingChunks(&state))
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

    /// Hands on the segments the audio's and the leading chunk's workers have finished since the last call, from
    /// their journals (the last chunk is listed only whole, with audio that ends where it ends). Cheap to call
    /// often: it reads two small files.
    public func unitsProgressed() throws(TranscodeError) {
        try feed { state throws in
            var finished: [ProgressivePackage.FinishedSegment] = []
            if state.audio == nil, let journal = try? work.read(UnitJournal.self, from: ChunkWorkFolder.partialAudio, madeBy: "the audio") {
                finished += audioSegments(journal.audio, state: &state)
            }
            if state.nextChunk < lastChunk,
               let journal = try? work.read(UnitJournal.self, from: ChunkWorkFolder.partialChunk(state.nextChunk), madeBy: "the chunk") {
                finished += segments(of: journal.video, after: state.leadingSegments, state: &state)
                state.leadingSegments = max(state.leadingSegments, journal.segmentCount)
            }
            try package.segmentsFinished(finished)
        }
    }

    /// The audio tracks' segments after those handed on already; the tracks are opened with the first.
    private func audioSegments(_ tracks: [AudioTrackFacts], state: inout State) -> [ProgressivePackage.FinishedSegment] {
        if !state.audioOpened {
            for (index, track) in tracks.enumerated() {
                var opened = track
                opened.timeline.segments = []
                package.trackOpened(.audio(opened, index: index))
            }
            state.audioOpened = true
        }
        let finished = tracks.flatMap { track in
            track.timeline.segments.dropFirst(state.audioSegments).map {
                ProgressivePackage.FinishedSegment(directory: track.timeline.directory, segment: $0)
            }
        }
        state.audioSegments = max(state.audioSegments, tracks.map(\.timeline.segments.count).min() ?? 0)
        return finished
    }

    /// The segments of the chunks now next in line, which leave the waiting room.
    private func leadingChunks(_ state: inout State) -> [ProgressivePackage.FinishedSegment] {
        var finished: [ProgressivePackage.FinishedSegment] = []
        while let chunk = state.waiting[state.nextChunk] {
            // The last chunk waits for audio cut at its real end; audio cut elsewhere is redone by the assembly.
            if chunk.index == lastChunk && state.audio?.videoEndFrame != chunk.frames.end { break }
            state.waiting[chunk.index] = nil
            finished += segments(of: chunk.video, after: state.leadingSegments, state: &state)
            state.nextChunk += 1
            state.leadingSegments = 0
        }
        return finished
    }

    /// A chunk's segments after its first `count` in every rung; the video tracks are opened with chunk 0's first.
    private func segments(of video: [VideoTrackFacts], after count: Int, state: inout State) -> [ProgressivePackage.FinishedSegment] {
        if !state.videoOpened {
            for (index, track) in video.enumerated() {
                var opened = track
                (opened.timeline.segments, opened.iFrames) = ([], [])
                package.trackOpened(.video(opened, index: index))
            }
            state.videoOpened = true
        }
        return video.flatMap { track in
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

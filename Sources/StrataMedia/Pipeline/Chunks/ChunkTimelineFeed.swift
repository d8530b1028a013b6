import Foundation
import Logging
import StrataManifest
import Synchronization

/// Makes a package encoded in chunks playable while its chunks are still being encoded: the units' facts, arriving
/// in any order from any worker, feed a `ProgressivePackage` the way a single run's track writers do, one segment
/// at a time and in timeline order. Chunk k's segments are listed once the audio and chunks 0…k are done, so the
/// manifests only ever grow by whole segments at their end. The assembly's final manifests replace them.
///
/// Whoever follows the job runs one feed; another one after a restart continues from the package's journal.
public final class ChunkTimelineFeed: Sendable {
    private struct State {
        /// Chunks done, waiting for those before them.
        var waiting: [Int: ChunkFacts] = [:]
        var nextChunk = 0
        var audio: AudioPartFacts?
    }

    private let state = Mutex(State())
    private let package: ProgressivePackage
    private let lastChunk: Int

    /// - Parameter onPublish: called with the seconds players can watch, each time more are listed.
    public init(_ request: TranscodeRequest, plan: ChunkPlan, logger: Logger,
                onPublish: @escaping @Sendable (Double) -> Void) throws(TranscodeError) {
        let (_, prepared) = try PreparedTranscode.open(request, following: plan, logger: logger)
        let earlier = try ProgressivePackage.journal(in: request.outputDirectory)
        package = try prepared.progressivePackage(request, ladder: prepared.plan, masterCues: try prepared.masterCues(request, logger: logger),
                                                  earlier: earlier, onPublish: onPublish)
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

    /// The segments of the chunks now next in line, which leave the waiting room; the tracks opened with chunk 0.
    private func leadingChunks(_ state: inout State) -> [ProgressivePackage.FinishedSegment] {
        var finished: [ProgressivePackage.FinishedSegment] = []
        while let chunk = state.waiting[state.nextChunk] {
            // The last chunk waits for audio cut at its real end; audio cut elsewhere is redone by the assembly.
            if chunk.index == lastChunk && state.audio?.videoEndFrame != chunk.frames.end { break }
            state.waiting[chunk.index] = nil
            state.nextChunk += 1
            if chunk.index == 0 {
                for (index, track) in chunk.video.enumerated() {
                    var opened = track
                    (opened.timeline.segments, opened.iFrames) = ([], [])
                    package.trackOpened(.video(opened, index: index))
                }
            }
            for track in chunk.video {
                finished += track.timeline.segments.map { segment in
                    ProgressivePackage.FinishedSegment(directory: track.timeline.directory, segment: segment,
                                                       iFrames: track.iFrames.filter { $0.file == segment.file })
                }
            }
        }
        return finished
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

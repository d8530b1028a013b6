import FFmpegBridge
import Foundation
import StrataManifest
import StrataProfiles

extension ChunkedTranscoder {
    /// The poster and storyboard of a chunked transcode, taken from renditions already encoded rather than the
    /// master: the storyboard from the smallest rung at least as large as a tile, decoded whole; the poster from
    /// the smallest rung at least as large as the poster, decoded only over the poster's candidate frames.
    /// Decoding a small rung costs a fraction of decoding the master (or the top rung) again.
    func makeStills(_ request: TranscodeRequest, ladder: LadderPlan, chunks: [ChunkFacts], work: ChunkWorkFolder, endSeconds: Double,
                    cancellation: TranscodeCancellation?) throws(TranscodeError) -> ThumbnailFacts? {
        guard let stills = ThumbnailPlan(spec: request.profile.thumbnails ?? ThumbnailSpec(), ladder: ladder, expectedDuration: endSeconds)?
            .forUprightPictures else { return nil }
        let rungs = (chunks.first?.video ?? []).sorted { $0.width * $0.height < $1.width * $1.height }
        var storyboard: StoryboardFacts?
        if let layout = stills.storyboard,
           let rung = rungs.first(where: { $0.width >= layout.tileWidth && $0.height >= layout.tileHeight }) ?? rungs.last {
            var board = stills
            board.poster = nil
            storyboard = try stillsPass(board, rung: rung, frames: nil, request: request, chunks: chunks, work: work, endSeconds: endSeconds,
                                        cancellation: cancellation)?.storyboard
        }
        var poster: PosterFacts?
        if let candidates = stills.poster, let first = candidates.candidateFrames.min(), let last = candidates.candidateFrames.max(),
           let rung = rungs.first(where: { max($0.width, $0.height) >= max(candidates.width, candidates.height) }) ?? rungs.last {
            var still = stills
            still.storyboard = nil
            poster = try stillsPass(still, rung: rung, frames: first...last, request: request, chunks: chunks, work: work, endSeconds: endSeconds,
                                    cancellation: cancellation)?.poster
        }
        return ThumbnailFacts(poster: poster, storyboard: storyboard)
    }

    /// Runs one thumbnail stage over `rung`'s frames, read through a playlist of its chunks' segments: all of them,
    /// or only the segments holding `frames` (no seek: segments start with keyframes, and an HLS seek lands on the
    /// keyframe after its target). Frame numbers stay the track's: time zero is the track's presentation offset.
    private func stillsPass(_ plan: ThumbnailPlan, rung: VideoTrackFacts, frames: ClosedRange<Int>?, request: TranscodeRequest, chunks: [ChunkFacts],
                            work: ChunkWorkFolder, endSeconds: Double, cancellation: TranscodeCancellation?) throws(TranscodeError) -> ThumbnailFacts? {
        let frameRate = Rational(Int32(rung.frameRate.numerator), Int32(rung.frameRate.denominator))
        let playlist = try stillsSource(rung, chunks: chunks, seconds: frames.map {
            (Double($0.lowerBound) / frameRate.doubleValue)...(Double($0.upperBound + 1) / frameRate.doubleValue)
        }, work: work)
        do {
            let pipeline = TranscodePipeline(renditions: 0, frameRate: frameRate, cancellation: cancellation, logger: logger)
            let queue: BoundedQueue<DecodedVideoFrame> = pipeline.queue(capacity: request.tuning.framesPerRenditionQueue)
            pipeline.addThumbnails(try ThumbnailStage(plan: plan, input: queue, scaling: .bicubic, root: request.outputDirectory))
            let (file, source) = try MasterProbe.open(path: playlist.path)
            guard let stream = source.mainVideo else { throw TranscodeError(.encoding, "\(playlist.path) has no video to take stills from") }
            pipeline.addSource(try SourceStage(
                file: file, videoStream: stream, decoderThreads: request.tuning.decoderThreads, renditionQueues: [queue], audioQueues: [:],
                captions: [:], frameRate: frameRate, origin: rung.timeline.seconds(rung.timeline.presentationTimeOffset),
                expectedDuration: frames == nil ? endSeconds : nil, control: pipeline.control, logger: logger, toneMaps: false))
            return try pipeline.run(totalSeconds: endSeconds, startedAt: Date(), progress: nil).thumbnails
        } catch {
            throw Transcoder.describe(error)
        }
    }

    /// A playlist of `rung`'s segments from every chunk, in order (only those overlapping `seconds` of presentation
    /// time, when given), written in the work folder: the rung's own playlist is written only by the assembly.
    private func stillsSource(_ rung: VideoTrackFacts, chunks: [ChunkFacts], seconds: ClosedRange<Double>?,
                              work: ChunkWorkFolder) throws(TranscodeError) -> URL {
        let directory = "../\(rung.timeline.directory)"
        var lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-TARGETDURATION:3600",
                     "#EXT-X-MAP:URI=\"\(directory)/\(rung.timeline.initialization)\""]
        for chunk in chunks {
            guard let track = chunk.video.first(where: { $0.id == rung.id }) else { continue }
            for segment in track.timeline.segments {
                let start = track.timeline.seconds(segment.start - track.timeline.presentationTimeOffset)
                if let seconds, start + track.timeline.seconds(segment.duration) <= seconds.lowerBound || start >= seconds.upperBound { continue }
                lines += [String(format: "#EXTINF:%.6f,", track.timeline.seconds(segment.duration)), "\(directory)/\(segment.file)"]
            }
        }
        lines.append("#EXT-X-ENDLIST")
        let url = work.url.appendingPathComponent("stills-\(rung.id)\(seconds == nil ? "" : "-poster").m3u8")
        do {
            try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw TranscodeError(.output, "cannot write '\(url.path)': \(error.localizedDescription)")
        }
        return url
    }
}

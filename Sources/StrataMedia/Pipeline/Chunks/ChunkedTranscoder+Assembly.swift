import FFmpegBridge
import Foundation
import StrataManifest
import StrataProfiles

extension ChunkedTranscoder {
    // MARK: - Audio

    /// Encodes every audio track whole, once, on the video's segment boundaries and presentation offset, so there
    /// is no join (and no AAC priming) inside a track. Needs only the plan, so it runs beside the chunks: the tracks
    /// are cut or padded to where the plan expects the video to end, or to `videoEndFrame` when that is known.
    public func encodeAudio(of request: TranscodeRequest, videoEndFrame: Int? = nil,
                            cancellation: TranscodeCancellation? = nil) throws(TranscodeError) -> AudioPartFacts {
        let startedAt = Date()
        let work = ChunkWorkFolder(package: request.outputDirectory)
        let plan = try work.read(ChunkPlan.self, from: ChunkWorkFolder.plan, madeBy: "the plan")
        let (_, prepared) = try PreparedTranscode.open(request, following: plan, logger: logger)
        let frameRate = prepared.plan.frameRate
        let endFrame = videoEndFrame ?? plan.expectedEndFrame
        let endSeconds = Double(endFrame) / frameRate.doubleValue
        let results: StageResults
        do {
            let pipeline = TranscodePipeline(renditions: 0, frameRate: frameRate, cancellation: cancellation, logger: logger)
            pipeline.videoAlreadyPackaged(endSeconds: endSeconds)
            // Audio encoded again by the assembly (another end) is listed only whole: no journal then.
            if videoEndFrame == nil {
                pipeline.listener = UnitProgressJournal(work: work, file: ChunkWorkFolder.partialAudio, videoTracks: 0,
                                                        audioTracks: prepared.audio.count)
            }
            let boundaries = SegmentBoundaries(schedule: prepared.schedule(request))
            let capacity = request.tuning.packetsPerAudioQueue
            for (index, track) in prepared.audio.enumerated() {
                switch track.source {
                case .master(let stream):
                    // Its own reading of the master: only this stream's packets, no video decoded.
                    let file = try InputFile(path: request.masterPath)
                    let parameters = try file.codecParameters(stream: stream.index)
                    let queue: BoundedQueue<Packet> = pipeline.queue(capacity: capacity)
                    pipeline.addSidecarReader(SidecarAudioSource(file: file, streamIndex: stream.index, queue: queue,
                                                                 description: "the master's audio stream \(stream.index)"), index: index)
                    try pipeline.addAudioTrack(track.label, parameters: parameters, queue: queue, origin: prepared.origin, maxLead: nil,
                                               audio: request.profile.audio, boundaries: boundaries, root: request.outputDirectory, index: index)
                case .sidecar(let sidecar):
                    try pipeline.addSidecarAudioTrack(track.label, sidecar: sidecar, capacity: capacity, audio: request.profile.audio,
                                                      boundaries: boundaries, root: request.outputDirectory, index: index)
                }
            }
            results = try pipeline.run(totalSeconds: endSeconds, startedAt: startedAt, fixedOffset: plan.offsetFrames, progress: nil)
        } catch {
            throw Transcoder.describe(error)
        }
        let facts = AudioPartFacts(audio: results.audioTracks, videoEndFrame: endFrame, wallSeconds: Date().timeIntervalSince(startedAt))
        try work.write(facts, as: ChunkWorkFolder.audio)
        return facts
    }

    // MARK: - Assembly

    /// Checks that the chunks join (frames, segments, codecs, identical init segments), joins their tracks, makes
    /// the poster and storyboard (`makeStills`), writes the captions, the manifests and `package.json` as a single
    /// run would, and removes the work folder.
    ///
    /// Audio cut where the plan expected the video to end, when it really ended elsewhere (a container whose stated
    /// duration is off), is encoded again to the real end first.
    public func assemble(_ request: TranscodeRequest, startedAt: Date = Date(),
                         cancellation: TranscodeCancellation? = nil) throws(TranscodeError) -> TranscodeReport {
        let root = request.outputDirectory
        let work = ChunkWorkFolder(package: root)
        let plan = try work.read(ChunkPlan.self, from: ChunkWorkFolder.plan, madeBy: "the plan")
        let chunks = try chunkFacts(plan, in: work)
        var audio = try work.read(AudioPartFacts.self, from: ChunkWorkFolder.audio, madeBy: "the audio unit")
        let (_, prepared) = try PreparedTranscode.open(request, following: plan, logger: logger)
        let video = try joined(chunks, plan: plan)
        try checkInitSegments(video, plan: plan, root: root)
        let endFrame = chunks.last?.frames.end ?? 0
        if audio.videoEndFrame != endFrame {
            logger.warning("the video ended at another frame than its container said; encoding the audio again to match", metadata: [
                "expectedFrame": "\(audio.videoEndFrame)", "endFrame": "\(endFrame)"])
            audio = try encodeAudio(of: request, videoEndFrame: endFrame, cancellation: cancellation)
        }
        let stills = try makeStills(request, ladder: prepared.plan, chunks: chunks, work: work,
                                    endSeconds: Double(endFrame) / prepared.plan.frameRate.doubleValue, cancellation: cancellation)
        let masterCues = try prepared.masterCues(request, logger: logger)
        do {
            let subtitles = try CaptionTrackWriter(video: video[0].timeline, logger: logger).write(prepared.captions, masterCues: masterCues, to: root)
            var facts = PackageFacts(video: video, audio: audio.audio, subtitles: subtitles, targetSegmentSeconds: request.profile.segmentSeconds,
                                     thumbnails: stills)
            facts.dynamicRange = prepared.dynamicRange.facts
            // Per-title decisions, and PSNR/SSIM when asked for or per-title: measured once, over the whole master.
            facts = try Transcoder(logger: logger).withQualityAndRates(facts, plan: prepared.plan, request: request, root: root)
            try ManifestWriter.write(facts, to: root)
            work.remove()
            return TranscodeReport(facts: facts, plan: prepared.plan, request: request, wallSeconds: Date().timeIntervalSince(startedAt))
        } catch {
            throw Transcoder.describe(error)
        }
    }

    /// Every chunk's facts, in order; an error names the first chunk that is not done.
    func chunkFacts(_ plan: ChunkPlan, in work: ChunkWorkFolder) throws(TranscodeError) -> [ChunkFacts] {
        var facts: [ChunkFacts] = []
        for chunk in plan.chunks {
            facts.append(try work.read(ChunkFacts.self, from: ChunkWorkFolder.chunk(chunk.index), madeBy: "chunk \(chunk.index)"))
        }
        return facts
    }

    /// Each rung's track: the chunks' segments and I-frames one after the other, after checking they meet.
    private func joined(_ chunks: [ChunkFacts], plan: ChunkPlan) throws(TranscodeError) -> [VideoTrackFacts] {
        guard var tracks = chunks.first?.video, !tracks.isEmpty else {
            throw TranscodeError(.encoding, "the chunks produced no video rendition")
        }
        for (previous, chunk) in zip(chunks, chunks.dropFirst()) {
            guard previous.frames.end == chunk.frames.first else {
                throw TranscodeError(.encoding, "chunk \(previous.index) ends at frame \(previous.frames.end ?? -1) but chunk \(chunk.index) "
                                     + "starts at \(chunk.frames.first); the chunks do not join")
            }
            guard chunk.video.map(\.id) == tracks.map(\.id) else {
                throw TranscodeError(.encoding, "chunk \(chunk.index) has rungs \(chunk.video.map(\.id)), not \(tracks.map(\.id))")
            }
            for (rung, part) in chunk.video.enumerated() {
                guard part.codecs == tracks[rung].codecs, part.timeline.timescale == tracks[rung].timeline.timescale else {
                    throw TranscodeError(.encoding, "chunk \(chunk.index) encoded \(part.id) as \(part.codecs), chunk 0 as \(tracks[rung].codecs)")
                }
                guard let first = part.timeline.segments.first, let last = tracks[rung].timeline.segments.last,
                      last.start + last.duration == first.start else {
                    throw TranscodeError(.encoding, "the segments of \(part.id) in chunk \(chunk.index) do not follow those before them")
                }
                tracks[rung].timeline.segments += part.timeline.segments
                tracks[rung].iFrames += part.iFrames
            }
        }
        return tracks
    }

    /// A later chunk's init segment must be the track's `init.mp4` byte for byte (same encoder settings, same
    /// parameter sets), or its segments would not decode with it; once checked, the copy goes.
    private func checkInitSegments(_ video: [VideoTrackFacts], plan: ChunkPlan, root: URL) throws(TranscodeError) {
        for track in video {
            let directory = root.appendingPathComponent(track.timeline.directory)
            let reference = FileManager.default.contents(atPath: directory.appendingPathComponent(track.timeline.initialization).path)
            for chunk in plan.chunks.dropFirst() {
                let copy = directory.appendingPathComponent(TrackPart.laterInitialization(firstSegment: chunk.firstSegment))
                guard let bytes = FileManager.default.contents(atPath: copy.path), bytes == reference else {
                    throw TranscodeError(.encoding, "chunk \(chunk.index) of \(track.id) has a different init segment than chunk 0 "
                                         + "(encoder settings differ between workers?)")
                }
                try? FileManager.default.removeItem(at: copy)
            }
        }
    }
}

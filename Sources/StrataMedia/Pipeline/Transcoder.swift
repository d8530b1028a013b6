import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles
import Synchronization

/// Runs transcodes: probe → plan → decode once → scale and encode every rendition in parallel →
/// package as CMAF → describe with HLS and DASH → move the finished package into place.
public struct Transcoder: Sendable {
    let logger: Logger

    public init(logger: Logger = Logger(label: "strata.transcode")) {
        self.logger = logger
    }

    /// Transcodes `request.masterPath` into `request.outputDirectory`.
    ///
    /// - Parameters:
    ///   - cancellation: stops the run from another thread; the output folder is then not created.
    ///   - progress: called on the calling thread about twice a second.
    public func run(_ request: TranscodeRequest, cancellation: TranscodeCancellation? = nil,
                    progress: ((TranscodeProgress) -> Void)? = nil) throws(TranscodeError) -> TranscodeReport {
        let started = Date()
        let (file, master) = try MasterProbe.open(path: request.masterPath)
        guard let video = master.mainVideo else {
            let kinds = Set(master.streams.map(\.type.rawValue)).sorted().joined(separator: ", ")
            throw TranscodeError(.noVideo, "master '\(request.masterPath)' has no video stream (it holds: \(kinds.isEmpty ? "nothing" : kinds))")
        }
        let plan = try LadderPlan(profile: request.profile, video: video)
        if !plan.droppedRenditions.isEmpty {
            logger.info("skipping rungs larger than the master", metadata: ["rungs": "\(plan.droppedRenditions.joined(separator: ","))"])
        }
        let staging = try StagingDirectory(destination: request.outputDirectory, overwrite: request.overwrite)
        let facts: PackageFacts
        do {
            facts = try encode(file: file, master: master, video: video, plan: plan, request: request, into: staging.url,
                               cancellation: cancellation, progress: progress, started: started)
            try ManifestWriter.write(facts, to: staging.url)
            try staging.commit()
        } catch {
            staging.discard()
            throw Transcoder.describe(error)
        }
        return report(facts: facts, plan: plan, request: request, wallSeconds: Date().timeIntervalSince(started))
    }

    // MARK: - Pipeline

    private func encode(file: sending InputFile, master: MasterDescription, video: StreamDescription, plan: LadderPlan,
                        request: TranscodeRequest, into root: URL, cancellation: TranscodeCancellation?,
                        progress: ((TranscodeProgress) -> Void)?, started: Date) throws -> PackageFacts {
        let profile = request.profile
        let tuning = request.tuning
        let control = PipelineControl(renditionCount: plan.renditions.count)
        cancellation?.attach(control)
        let schedule = KeyframeSchedule(frameRate: plan.frameRate, gopSeconds: profile.gopSeconds, gopsPerSegment: profile.gopsPerSegment)
        let start = StartSignal()
        let results = StageResults()
        var threads: [StageThread] = []
        var reorderDelays: [Int] = []
        var audioPriming: [(samples: Int, rate: Int)] = []

        // Nothing may be left waiting on the start signal, whatever happens below.
        var offsetFrames: Int64?
        defer {
            if offsetFrames == nil { start.open(.failure(control.failure ?? TranscodeError(.encoding, "setup failed"))) }
        }

        let origin = video.startTime ?? 0
        let renditionQueues = plan.renditions.map { _ in BoundedQueue<DecodedVideoFrame>(capacity: tuning.framesPerRenditionQueue) }
        for queue in renditionQueues { control.onStop { queue.cancel() } }
        let scaling = ScalingFilter(rawValue: profile.scaling.rawValue) ?? .bicubic
        let color = video.colorTags

        let encoderThreads = tuning.encoderThreads
            ?? PipelineTuning.encoderThreads(renditions: plan.renditions.count, cores: ProcessInfo.processInfo.activeProcessorCount)
        for (index, rendition) in plan.renditions.enumerated() {
            let settings = VideoEncoderFactory.settings(for: rendition, frameRate: plan.frameRate, schedule: schedule,
                                                        color: color, threads: encoderThreads)
            let encoder: Encoder
            do {
                encoder = try Encoder(video: settings)
            } catch {
                throw TranscodeError(.encoding, "cannot open libx264 for rendition \(rendition.spec.name): \(error.message)")
            }
            reorderDelays.append(encoder.reorderDelay)
            let stage = try VideoRenditionStage(
                index: index, rendition: rendition, input: renditionQueues[index], encoder: encoder, rotation: plan.rotation,
                scaling: scaling, schedule: schedule, frameRate: plan.frameRate,
                directory: root.appendingPathComponent("video/\(rendition.spec.name)"), relativeDirectory: "video/\(rendition.spec.name)")
            threads.append(StageThread(name: "strata.video.\(rendition.spec.name)") { [control, start, results] in
                do {
                    let offset = try start.wait().get()
                    results.add(video: try stage.run(presentationOffset: offset, control: control), at: index)
                } catch {
                    control.stop(Transcoder.describe(error))
                }
            })
        }

        var audioQueues: [Int: BoundedQueue<Packet>] = [:]
        for (position, stream) in audioSources(master).enumerated() {
            let queue = BoundedQueue<Packet>(capacity: tuning.packetsPerAudioQueue)
            control.onStop { queue.cancel() }
            audioQueues[stream.index] = queue
            let audio = profile.audio
            let encoder: Encoder
            do {
                encoder = try Encoder(audio: AudioEncoderSettings(encoderName: "aac", sampleRate: audio.sampleRate,
                                                                  channels: audio.channels, bitRate: audio.bitrate))
            } catch {
                throw TranscodeError(.encoding, "cannot open the AAC encoder: \(error.message)")
            }
            audioPriming.append((encoder.initialPadding, audio.sampleRate))
            let label = AudioTrackLabel.forMasterStream(stream, isDefault: position == 0)
            let stage = try AudioTrackStage(
                label: label, parameters: try file.codecParameters(stream: stream.index), input: queue, encoder: encoder,
                sampleRate: audio.sampleRate, channels: audio.channels, schedule: schedule, origin: origin,
                directory: root.appendingPathComponent("audio/\(label.id)"), relativeDirectory: "audio/\(label.id)",
                control: control, logger: logger)
            threads.append(StageThread(name: "strata.audio.\(label.id)") { [control, start, results, frameRate = plan.frameRate] in
                do {
                    let offsetFrames = try start.wait().get()
                    let offsetSamples = Int64((Double(offsetFrames) / frameRate.doubleValue * Double(audio.sampleRate)).rounded())
                    results.add(audio: try stage.run(presentationOffset: offsetSamples), at: position)
                } catch {
                    control.stop(Transcoder.describe(error))
                }
            })
        }

        let source = try SourceStage(
            file: file, videoStream: video, decoderThreads: tuning.decoderThreads, renditionQueues: renditionQueues,
            audioQueues: audioQueues, frameRate: plan.frameRate, origin: origin,
            expectedDuration: video.duration ?? master.duration, control: control, logger: logger)
        threads.append(StageThread(name: "strata.source") { [control, start] in
            do {
                _ = try start.wait().get()
                try source.run()
            } catch {
                control.stop(Transcoder.describe(error))
            }
        })

        // Every track starts at the same presentation time: late enough that no decoding timestamp
        // (B-frame reordering) and no audio priming falls before zero.
        let fps = plan.frameRate.doubleValue
        let primingFrames = audioPriming.map { Int((Double($0.samples) / Double($0.rate) * fps).rounded(.up)) }.max() ?? 0
        offsetFrames = Int64(max(reorderDelays.max() ?? 0, primingFrames))
        start.open(.success(offsetFrames!))

        let totalSeconds = video.duration ?? master.duration ?? 0
        for thread in threads {
            while !thread.join(timeout: 0.5) {
                progress?(measure(control: control, frameRate: fps, totalSeconds: totalSeconds, started: started))
            }
        }
        if let failure = control.failure { throw failure }
        progress?(measure(control: control, frameRate: fps, totalSeconds: control.videoEndSeconds ?? totalSeconds, started: started))
        return PackageFacts(video: results.videoTracks, audio: results.audioTracks, targetSegmentSeconds: profile.segmentSeconds)
    }

    /// The master's audio streams to package: for now its main one (the default, else the first).
    private func audioSources(_ master: MasterDescription) -> [StreamDescription] {
        let audio = master.audioStreams
        guard let main = audio.first(where: { $0.dispositions.contains("default") }) ?? audio.first else { return [] }
        return [main]
    }

    private func measure(control: PipelineControl, frameRate: Double, totalSeconds: Double, started: Date) -> TranscodeProgress {
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let frames = control.slowestRenditionFrames
        let encoded = Double(frames) / frameRate
        let total = max(totalSeconds, encoded)
        let speed = encoded / elapsed
        return TranscodeProgress(
            fraction: total > 0 ? min(1, encoded / total) : 0, encodedSeconds: encoded, totalSeconds: total,
            framesPerSecond: Double(frames) / elapsed, speed: speed,
            secondsRemaining: speed > 0 && total > 0 ? (total - encoded) / speed : nil)
    }

    private func report(facts: PackageFacts, plan: LadderPlan, request: TranscodeRequest, wallSeconds: Double) -> TranscodeReport {
        TranscodeReport(
            output: request.outputDirectory.path, profile: request.profile.name, master: request.masterPath,
            duration: facts.durationSeconds,
            renditions: facts.video.map {
                .init(name: $0.id, width: $0.width, height: $0.height, codecs: $0.codecs, frameRate: $0.frameRate.decimal,
                      peakBitRate: $0.timeline.peakBitRate, averageBitRate: $0.timeline.averageBitRate, segments: $0.timeline.segments.count)
            },
            audio: facts.audio.map {
                .init(id: $0.id, language: $0.language, name: $0.name, role: $0.role.rawValue, codecs: $0.codecs, channels: $0.channels,
                      peakBitRate: $0.timeline.peakBitRate, averageBitRate: $0.timeline.averageBitRate, segments: $0.timeline.segments.count)
            },
            droppedRenditions: plan.droppedRenditions, wallSeconds: wallSeconds)
    }

    /// Any error from a stage, as a `TranscodeError` a person can act on.
    static func describe(_ error: Error) -> TranscodeError {
        switch error {
        case let error as TranscodeError: error
        case let error as FFmpegError: TranscodeError(.encoding, error.description)
        case let error as CocoaError: TranscodeError(.output, "cannot write the package: \(error.localizedDescription)")
        default: TranscodeError(.output, "\(error)")
        }
    }
}

/// Facts handed back by stage threads.
final class StageResults: Sendable {
    private let video = Mutex<[Int: VideoTrackFacts]>([:])
    private let audio = Mutex<[Int: AudioTrackFacts]>([:])

    func add(video facts: VideoTrackFacts, at index: Int) { video.withLock { $0[index] = facts } }
    func add(audio facts: AudioTrackFacts, at index: Int) { audio.withLock { $0[index] = facts } }

    var videoTracks: [VideoTrackFacts] { video.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
    var audioTracks: [AudioTrackFacts] { audio.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
}

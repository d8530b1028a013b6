import FFmpegBridge
import Foundation
import Logging

/// Decodes the master's video again at the plan's constant frame rate, for passes beside the transcode
/// (per-title analysis, quality measurement): the same `SourceStage` on its own thread, feeding one queue.
enum MasterFrameReader {
    /// Calls `body` with every constant-rate picture of the master, in order.
    /// - Parameter preview: decode only reference pictures, without deblocking (`Decoder`'s `preview`); the
    ///   skipped pictures come as repeats of the one before, so frame numbers stay those of the transcode.
    /// - Parameter toneMapped: an HDR master's pictures tone-mapped to SDR, as the renditions get them (per-title,
    ///   quality); false hands them on as decoded (HDR code values, maybe 10-bit), for passes that only look at structure.
    /// - Parameter range: only these output frames (decoding from the keyframe before them); nil for all.
    static func forEach(masterPath: String, frameRate: Rational, logger: Logger, queueCapacity: Int = 4, preview: Bool = false,
                        toneMapped: Bool = true, range: FrameRange? = nil, _ body: (DecodedVideoFrame) throws -> Void) throws {
        let (file, master) = try MasterProbe.open(path: masterPath)
        guard let video = master.mainVideo else {
            throw TranscodeError(.noVideo, "master '\(masterPath)' has no video stream")
        }
        let control = PipelineControl(renditionCount: 1)
        let queue = BoundedQueue<DecodedVideoFrame>(capacity: queueCapacity)
        control.onStop { queue.cancel() }
        let source = try SourceStage(
            file: file, videoStream: video, decoderThreads: 0, renditionQueues: [queue], audioQueues: [:], captions: [:],
            frameRate: frameRate, origin: video.startTime ?? 0, expectedDuration: video.duration ?? master.duration,
            control: control, logger: logger, previewDecode: preview, toneMaps: toneMapped, range: range)
        let thread = StageThread(name: "strata.master-reader") {
            do { _ = try source.run() } catch { control.stop(TranscodeError(describing: error)) }
        }
        do {
            while let item = queue.pop() { try body(item) }
        } catch {
            control.stop(TranscodeError(describing: error))
            thread.join()
            throw error
        }
        thread.join()
        if let failure = control.failure { throw failure }
    }

    /// Calls `body` with every picture of the GOPs `sampling` picks, in order: one decode of the whole master
    /// when it samples every GOP, otherwise a seek and a short decode per sampled GOP.
    static func forEach(masterPath: String, frameRate: Rational, sampling: GOPSampling, logger: Logger,
                        _ body: (DecodedVideoFrame) throws -> Void) throws {
        for range in sampling.ranges.map { $0.map(Optional.some) } ?? [nil] {
            try forEach(masterPath: masterPath, frameRate: frameRate, logger: logger, range: range) { item in
                guard sampling.samples(item.number) else { return }
                try body(item)
            }
        }
    }
}

extension TranscodeError {
    /// Any error from a stage, as a `TranscodeError` a person can act on.
    init(describing error: any Error) {
        self = Transcoder.describe(error)
    }
}

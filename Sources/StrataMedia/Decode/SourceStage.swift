import FFmpegBridge
import Foundation
import Logging

/// Demuxes the master once and decodes its video once, fanning every picture out to each rendition's queue
/// at a constant frame rate; passes audio packets, still compressed, to the audio stages.
/// An HDR master's pictures are tone-mapped to SDR here, once, so every rung and thumbnail shares one mapping;
/// only pictures the constant frame rate keeps are mapped, and a repeated picture only once.
final class SourceStage {
    private let file: InputFile
    private let videoStream: StreamDescription
    private let decoder: Decoder
    /// Set for a PQ or HLG master only (unless the caller asked for the decoded pictures): SDR pictures pass through untouched.
    private let toneMapping: ToneMapping?
    private let renditionQueues: [BoundedQueue<DecodedVideoFrame>]
    private let audioQueues: [Int: BoundedQueue<Packet>]
    private let captions: [Int: CaptionCollector]
    private let frameRate: Rational
    /// Master time (seconds) that becomes presentation time zero.
    private let origin: Double
    private let expectedDuration: Double?
    private let logger: Logger
    private let control: PipelineControl
    /// Decoded pictures, still HDR for an HDR master: tone mapping waits until a picture is kept.
    private var converter: ConstantFrameRate<Frame>
    /// The picture tone-mapped last and its SDR copy, reused while the constant frame rate repeats it.
    private var lastMapped: (decoded: Frame, mapped: Frame)?
    /// Pictures tone-mapped so far: at most one per output frame, fewer when pictures repeat.
    private(set) var toneMappedPictures = 0
    private var lastFrameSeconds: Double?
    private var lastFrameDuration: Double = 0
    private var damagedPackets = 0
    /// The output frames to deliver: all of them, or a chunk's.
    private let range: FrameRange?
    /// The output frame the first decoded picture falls on (after a seek, where decoding really began).
    private var firstDecodedSlot: Int?
    /// Set once the first frame after the range came out: reading stops there.
    private var reachedRangeEnd = false

    /// Decode errors tolerated before the master is judged damaged (a few bad packets are common in camera files).
    static let tolerableDamagedPackets = 8

    init(file: InputFile, videoStream: StreamDescription, decoderThreads: Int, renditionQueues: [BoundedQueue<DecodedVideoFrame>],
         audioQueues: [Int: BoundedQueue<Packet>], captions: [Int: CaptionCollector], frameRate: Rational, origin: Double,
         expectedDuration: Double?, control: PipelineControl, logger: Logger, previewDecode: Bool = false, toneMaps: Bool = true,
         range: FrameRange? = nil) throws {
        self.file = file
        self.range = range
        self.control = control
        self.videoStream = videoStream
        do {
            decoder = try Decoder(parameters: try file.codecParameters(stream: videoStream.index), threads: decoderThreads, preview: previewDecode)
        } catch {
            throw TranscodeError(.unsupported, "cannot decode the master's \(videoStream.codec) video: \(error.message)")
        }
        toneMapping = toneMaps ? ToneMapping(stream: videoStream, threads: decoderThreads) : nil
        self.renditionQueues = renditionQueues
        self.audioQueues = audioQueues
        self.captions = captions
        self.frameRate = frameRate
        self.origin = origin
        self.expectedDuration = expectedDuration
        self.logger = logger
        converter = ConstantFrameRate(rate: frameRate.doubleValue)
        file.selectStreams(Set([videoStream.index] + audioQueues.keys + captions.keys))
        if let range, range.first > 0 {
            // One frame early, so a keyframe exactly at the range's start is found rather than the one before it.
            let seconds = origin + Double(range.first - 1) / frameRate.doubleValue
            if !file.seek(stream: videoStream.index, toSeconds: seconds) {
                logger.info("the master cannot seek; decoding its video from the start to reach the chunk",
                            metadata: ["frame": "\(range.first)"])
            }
        }
    }

    /// Reads the whole master (or its `range`), then publishes the video's length (a whole number of output frames) in
    /// `control.videoEndSeconds` and ends every queue. On failure the queues are left for `control` to cancel.
    /// Returns the cues of the master's subtitle streams, by stream index.
    func run() throws -> [Int: [Cue]] {
        let length = try readAll()
        control.videoEndSeconds = length
        for queue in renditionQueues { queue.finish() }
        for queue in audioQueues.values { queue.finish() }
        return captions.mapValues { $0.finish() }
    }

    private func readAll() throws -> Double {
        while !control.isStopped && !reachedRangeEnd {
            let packet = try Packet()
            let more: Bool
            do {
                more = try file.read(into: packet)
            } catch {
                throw damaged("reading stopped with '\(error.message)'")
            }
            guard more else { break }
            if packet.streamIndex == videoStream.index {
                try decode(packet)
            } else if let queue = audioQueues[packet.streamIndex] {
                queue.push(packet)
            } else if let collector = captions[packet.streamIndex] {
                collector.accept(packet)
            }
        }
        if let failure = control.failure { throw failure }
        if reachedRangeEnd, let end = range?.end { return Double(end) / frameRate.doubleValue }
        try decode(nil)
        guard let lastFrameSeconds else {
            throw TranscodeError(.truncated, "the master's video stream holds no decodable pictures (is the file damaged or truncated?)")
        }
        let end = lastFrameSeconds + max(lastFrameDuration, 1 / frameRate.doubleValue)
        try converter.finish(endSeconds: end, emit: fanOut)
        if let end = range?.end, converter.nextSlot >= end { return Double(end) / frameRate.doubleValue }
        let length = Double(converter.nextSlot) / frameRate.doubleValue
        if let range, converter.nextSlot <= range.first || (range.end.map { converter.nextSlot < $0 } ?? false) {
            let planned = "\(range.first)–\(range.end.map { "\($0 - 1)" } ?? "end")"
            throw damaged("frames \(planned) were planned, but the video ends at frame \(converter.nextSlot)")
        }
        if file.hadInputError {
            throw damaged("the file could not be read to its end")
        }
        if let expectedDuration, expectedDuration - length > max(1.0, expectedDuration * 0.05) {
            throw damaged(String(format: "the container says %.2f s of video, but only %.2f s could be decoded", expectedDuration, length))
        }
        if toneMapping != nil {
            logger.debug("tone-mapped the master's pictures", metadata: ["pictures": "\(toneMappedPictures)", "frames": "\(converter.nextSlot)"])
        }
        if damagedPackets > 0 {
            logger.warning("skipped damaged video packets in the master", metadata: ["count": "\(damagedPackets)"])
        }
        return length
    }

    private func damaged(_ detail: String) -> TranscodeError {
        let position = lastFrameSeconds.map { String(format: " after %.2f s", $0) } ?? ""
        return TranscodeError(.truncated, "the master '\(file.path)' is truncated or damaged\(position): \(detail)")
    }

    private func decode(_ packet: Packet?) throws {
        do {
            try decoder.decode(packet) { frame in try self.accept(frame) }
        } catch let error as FFmpegError where error.isInvalidData {
            damagedPackets += 1
            logger.debug("skipped a damaged video packet", metadata: ["error": "\(error.message)"])
            if damagedPackets > SourceStage.tolerableDamagedPackets {
                throw damaged("\(damagedPackets) video packets could not be decoded")
            }
        } catch let error as FFmpegError {
            throw damaged(error.description)
        }
    }

    private func accept(_ frame: Frame) throws {
        let timeBase = decoder.timeBase.doubleValue
        var seconds: Double
        if frame.bestEffortTimestamp != noTimestamp {
            seconds = Double(frame.bestEffortTimestamp) * timeBase - origin
        } else {
            seconds = (lastFrameSeconds ?? 0) + max(lastFrameDuration, 1 / frameRate.doubleValue)
        }
        if let last = lastFrameSeconds, seconds <= last {
            // Out-of-order or repeated timestamp: keep the frame, just after the previous one.
            seconds = last + 1e-6
        }
        lastFrameDuration = frame.packetDuration > 0 ? Double(frame.packetDuration) * timeBase : 1 / frameRate.doubleValue
        lastFrameSeconds = seconds
        if let range, firstDecodedSlot == nil {
            let slot = converter.slot(for: seconds)
            firstDecodedSlot = slot
            guard slot <= range.first else {
                throw TranscodeError(.unsupported, "cannot decode the master from frame \(range.first): the keyframe before it "
                                     + "is not where the container's index says (decoding began at frame \(slot))")
            }
        }
        try converter.push(frame, seconds: seconds, emit: fanOut)
    }

    private func fanOut(_ decoded: Frame, _ number: Int) throws {
        if let range {
            guard number >= range.first else { return }  // decoded only as a reference for the frames that follow
            if let end = range.end, number >= end {
                reachedRangeEnd = true
                return
            }
        }
        let frame = try picture(for: decoded)
        for queue in renditionQueues {
            queue.push(DecodedVideoFrame(frame: try frame.clone(), number: number))
        }
        control.videoDecoded(seconds: Double(number + 1) / frameRate.doubleValue)
    }

    /// The picture the renditions get for `decoded`: SDR as decoded, HDR tone-mapped once however many slots it fills.
    private func picture(for decoded: Frame) throws -> Frame {
        guard let toneMapping else { return decoded }
        if let lastMapped, lastMapped.decoded === decoded { return lastMapped.mapped }
        let mapped = try toneMapping.apply(to: decoded)
        lastMapped = (decoded, mapped)
        toneMappedPictures += 1
        return mapped
    }
}

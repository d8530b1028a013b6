import FFmpegBridge
import Foundation
import Logging
import StrataManifest

/// One audio track on its own thread: decode once → resample (libswresample) → align to the video
/// clock → AAC → CMAF segments cut on the video's segment boundaries.
final class AudioTrackStage {
    private let label: AudioTrackLabel
    private let input: BoundedQueue<Packet>
    private let decoder: Decoder
    private let resampler: Resampler
    private let fifo: SampleFIFO
    private let encoder: Encoder
    private let boundaries: SegmentBoundaries
    private let origin: Double
    /// How far (seconds) decoding may run ahead of the video; nil for audio demuxed with the video,
    /// whose interleaving already bounds it (waiting there would stall the shared demuxer).
    private let maxLead: Double?
    private let directory: URL
    private let relativeDirectory: String
    private var writer: CMAFTrackWriter?
    private let control: PipelineControl
    private let logger: Logger
    private var timeline: AudioTimeline
    private var encodedSamples: Int64 = 0
    private var nextSegment = 1
    private var damagedPackets = 0
    private let index: Int
    private let listener: (any PackageListener)?

    /// - Parameters:
    ///   - origin: master time (seconds) of presentation zero.
    init(label: AudioTrackLabel, parameters: CodecParameters, input: BoundedQueue<Packet>, encoder: Encoder,
         sampleRate: Int, channels: Int, boundaries: SegmentBoundaries, origin: Double, maxLead: Double?, directory: URL, relativeDirectory: String, control: PipelineControl, logger: Logger,
         index: Int = 0, listener: (any PackageListener)? = nil) throws {
        self.label = label
        self.index = index
        self.listener = listener
        self.input = input
        do {
            decoder = try Decoder(parameters: parameters, threads: 1)
        } catch {
            throw TranscodeError(.unsupported, "cannot decode the \(parameters.codecName) audio of stream \(parameters.streamIndex): \(error.message)")
        }
        resampler = Resampler(outputRate: sampleRate, outputChannels: channels)
        fifo = try SampleFIFO(sampleRate: sampleRate, channels: channels)
        self.encoder = encoder
        self.boundaries = boundaries
        self.origin = origin
        self.maxLead = maxLead
        self.directory = directory
        self.relativeDirectory = relativeDirectory
        self.control = control
        self.logger = logger
        timeline = AudioTimeline(sampleRate: sampleRate)
    }

    /// Encodes the whole track and returns its facts.
    /// - Parameter presentationOffset: samples added to every timestamp (the common start of all tracks).
    func run(presentationOffset: Int64) throws -> AudioTrackFacts {
        let writer = try CMAFTrackWriter(directory: directory, relativeDirectory: relativeDirectory, encoder: encoder,
                                         timestampOffset: presentationOffset, listener: listener)
        self.writer = writer
        listener?.trackOpened(.audio(try facts(timeline: writer.emptyTimeline(presentationTimeOffset: presentationOffset)), index: index))
        while let packet = input.pop() {
            if let maxLead {
                control.waitForVideo(beyond: Double(encodedSamples + Int64(fifo.count)) / Double(fifo.sampleRate) - maxLead)
            }
            try decode(packet)
            // Never past the video's end once it is known (a package's video, a chunked job's): the last frame is
            // then cut there, as when the video is decoded alongside.
            try encodeBuffered(upTo: min(control.videoDecodedSeconds, control.videoEndSeconds ?? .infinity))
        }
        if let failure = control.failure { throw failure }
        try decode(nil)
        try resampler.convert(nil, into: fifo)
        // A sidecar can run out before the master has been read to its end.
        control.waitForVideo(beyond: .infinity)
        if let failure = control.failure { throw failure }
        guard let videoEnd = control.videoEndSeconds else {
            throw TranscodeError(.encoding, "the audio stage ended before the video's length was known")
        }
        // The track lasts exactly as long as the video: pad a short source with silence, cut a long one.
        let total = Int64((videoEnd * Double(fifo.sampleRate)).rounded())
        let available = encodedSamples + Int64(fifo.count)
        let difference = Double(available - total) / Double(fifo.sampleRate)
        if abs(difference) > 0.5 {
            logger.warning(difference < 0 ? "audio is shorter than the video; padded with silence at the end"
                                          : "audio is longer than the video; cut at the video's end",
                           metadata: ["track": "\(label.id)", "seconds": "\(String(format: "%.2f", abs(difference)))"])
        }
        if available < total { try fifo.appendSilence(Int(total - available)) }
        while encodedSamples < total {
            try encodeFrame(samples: Int(min(Int64(encoder.frameSize), total - encodedSamples)))
        }
        if damagedPackets > 0 {
            logger.warning("skipped damaged audio packets in the master", metadata: ["track": "\(label.id)", "count": "\(damagedPackets)"])
        }
        try encoder.encode(nil, write)
        let result = try writer.finish(end: total, presentationTimeOffset: presentationOffset)
        return try facts(timeline: result.timeline)
    }

    private func facts(timeline: TrackTimeline) throws -> AudioTrackFacts {
        guard let codecs = CodecString.aac(extradata: encoder.extradata) else {
            throw TranscodeError(.encoding, "the AAC encoder produced no AudioSpecificConfig")
        }
        return AudioTrackFacts(
            id: label.id, language: label.language, name: label.name, role: label.role, isDefault: label.isDefault,
            channels: fifo.channels, sampleRate: fifo.sampleRate, codecs: codecs, timeline: timeline)
    }

    private func decode(_ packet: Packet?) throws {
        do {
            try decoder.decode(packet) { frame in
                let seconds = frame.bestEffortTimestamp == noTimestamp ? nil : Double(frame.bestEffortTimestamp) * decoder.timeBase.doubleValue - origin
                let outputSamples = frame.sampleRate > 0 ? frame.sampleCount * fifo.sampleRate / frame.sampleRate : frame.sampleCount
                try fifo.appendSilence(timeline.silenceBefore(frameAt: seconds, frameSamples: outputSamples))
                try resampler.convert(frame, into: fifo)
                fifo.drop(timeline.drop(from: fifo.count))
            }
        } catch let error as FFmpegError {
            // Damaged AAC fails in many ways besides AVERROR_INVALIDDATA (EPERM, AVERROR_PATCHWELCOME,
            // bit-flipped element ids): each is a packet of the source that cannot be used, never a bug of ours.
            damagedPackets += 1
            logger.debug("skipped a damaged audio packet", metadata: ["track": "\(label.id)", "error": "\(error.message)"])
            if damagedPackets > SourceStage.tolerableDamagedPackets {
                throw TranscodeError(.truncated, "the audio of track '\(label.name)' is damaged: \(damagedPackets) packets could not be decoded")
            }
        }
    }

    /// Encodes whole frames while they stay within the video decoded so far (the end is not known yet).
    private func encodeBuffered(upTo videoSeconds: Double) throws {
        let limit = videoSeconds.isFinite ? Int64(videoSeconds * Double(fifo.sampleRate)) : Int64.max
        let frameSize = encoder.frameSize
        while fifo.count >= frameSize, encodedSamples + Int64(frameSize) <= limit {
            try encodeFrame(samples: frameSize)
        }
    }

    private func encodeFrame(samples: Int) throws {
        let frame = try fifo.take(samples)
        frame.pts = encodedSamples
        encodedSamples += Int64(samples)
        try encoder.encode(frame, write)
        control.audioEncoded(seconds: Double(encodedSamples) / Double(fifo.sampleRate))
    }

    private func write(_ packet: Packet) throws {
        // Cut where the video's segments start, so audio and video segments cover the same spans.
        var startsSegment = false
        let boundarySeconds = boundaries.start(of: nextSegment)
        if boundarySeconds.isFinite, packet.pts >= Int64((boundarySeconds * Double(fifo.sampleRate)).rounded()) {
            startsSegment = true
            nextSegment += 1
        }
        try writer!.write(packet, startsSegment: startsSegment, startsFragment: false)
    }
}

import FFmpegBridge
import Logging

/// Decodes one text subtitle stream of the master as the source reads it, keeping its cues in memory
/// (captions are small) until the package is written.
final class CaptionCollector {
    private let decoder: SubtitleDecoder
    private let origin: Double
    private let streamIndex: Int
    private let logger: Logger
    private var cues: [Cue] = []
    /// The last cue when its stream gave no end time: it lasts until the next one starts.
    private var open: Cue?

    /// How long a cue whose end is never given stays up.
    static let fallbackDuration = 4.0

    init(parameters: CodecParameters, origin: Double, logger: Logger) throws(TranscodeError) {
        do {
            decoder = try SubtitleDecoder(parameters: parameters)
        } catch {
            throw TranscodeError(.unsupported, "cannot decode the master's \(parameters.codecName) subtitles: \(error.message)")
        }
        self.origin = origin
        self.streamIndex = parameters.streamIndex
        self.logger = logger
    }

    func accept(_ packet: Packet) {
        let event: SubtitleEvent?
        do {
            event = try decoder.decode(packet)
        } catch {
            logger.warning("skipped a damaged subtitle packet", metadata: ["stream": "\(streamIndex)", "error": "\(error.message)"])
            return
        }
        guard let event, !event.isBitmap else { return }
        closeOpenCue(at: event.start - origin)
        for dialogue in event.dialogue {
            let (text, settings) = ASSDialogue.webVTT(event: dialogue)
            guard !text.isEmpty else { continue }
            let cue = Cue(start: event.start - origin, end: (event.end ?? event.start) - origin, text: text, settings: settings)
            if event.end == nil { open = cue } else { cues.append(cue) }
        }
    }

    /// Every cue, in time order.
    func finish() -> [Cue] {
        if let cue = open { closeOpenCue(at: cue.start + CaptionCollector.fallbackDuration) }
        return cues.sorted { $0.start < $1.start }
    }

    private func closeOpenCue(at time: Double) {
        guard var cue = open else { return }
        cue.end = max(time, cue.start + 0.001)
        cues.append(cue)
        open = nil
    }
}

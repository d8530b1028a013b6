import FFmpegBridge
import Logging

/// Reads the master's text subtitle streams in one demux-only pass before encoding starts, so every
/// caption segment can be written as soon as the video reaches its boundary (cues demuxed alongside the
/// video would arrive only as the demuxer gets there, possibly after their segment had been published).
enum MasterCaptionReader {
    /// The cues of each of `streams`, by stream index, on the presentation clock (`origin` is time zero).
    static func cues(path: String, streams: [StreamDescription], origin: Double, logger: Logger) throws -> [Int: [Cue]] {
        guard !streams.isEmpty else { return [:] }
        let file = try InputFile(path: path)
        var collectors: [Int: CaptionCollector] = [:]
        for stream in streams {
            collectors[stream.index] = try CaptionCollector(parameters: try file.codecParameters(stream: stream.index),
                                                            origin: origin, logger: logger)
        }
        file.selectStreams(Set(collectors.keys))  // the demuxer skips audio and video packets
        let packet = try Packet()
        while try file.read(into: packet) {
            collectors[packet.streamIndex]?.accept(packet)
        }
        return collectors.mapValues { $0.finish() }
    }
}

import Foundation

/// Plays `master.m3u8` and `manifest.mpd` under `baseURL` with clients that are not Strata's: ffmpeg decodes
/// video and audio without an error, ffprobe's packet times span the master's length, and GStreamer's
/// playbin plays to the end with every frame.
public struct PlayerChecks {
    public let baseURL: String
    public let masterDuration: Double
    public let videoFrameRate: Double?
    public private(set) var problems: [String] = []
    public private(set) var notes: [String] = []

    public init(baseURL: String, masterDuration: Double, videoFrameRate: Double?) {
        self.baseURL = baseURL
        self.masterDuration = masterDuration
        self.videoFrameRate = videoFrameRate
    }

    /// Manifests under `baseURL` to play, e.g. a master playlist narrowed to one codec's variants.
    public var manifests = ["master.m3u8", "manifest.mpd"]

    public mutating func run() throws {
        for manifest in manifests {
            let url = "\(baseURL)/\(manifest)"
            // Video and audio; caption tracks are read back on their own (the null muxer takes no subtitles).
            let decoded = try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-i", url, "-map", "0:v", "-map", "0:a?", "-f", "null", "-"], timeout: 300)
            if !decoded.succeeded || !decoded.stderr.isEmpty {
                problems.append("ffmpeg could not decode \(manifest) over HTTP: \(decoded.status) \(decoded.stderr.prefix(500))")
            }
            let probe = try Players.probe(url)
            let hasAudio = probe.streams.contains { $0.codec_type == "audio" }
            for stream in hasAudio ? ["v:0", "a:0"] : ["v:0"] {
                let span = try Players.span(url, stream: stream)
                if span.map({ abs($0 - masterDuration) > 0.5 }) ?? true {
                    problems.append("stream \(stream) of \(manifest) spans \(span ?? 0) s, the master lasts \(masterDuration) s")
                }
            }
            notes.append("ffprobe \(manifest): \(probe.streams.count) streams (\(probe.streams.compactMap(\.codec_name).joined(separator: ",")))")
            let played = try Players.gstreamer(url)
            notes.append("GStreamer \(manifest): \(played)")
            if played.status != 0 || !played.errors.isEmpty {
                problems.append("GStreamer failed on \(manifest): \(played)")
            }
            if let rate = videoFrameRate, rate > 0 {
                let expected = Int((masterDuration * rate).rounded())
                if abs(played.videoBuffers - expected) > 1 {
                    problems.append("GStreamer showed \(played.videoBuffers) frames of \(manifest), expected about \(expected)")
                }
            }
            for (kind, end) in [("video", played.lastVideoTime), ("audio", played.audioBuffers > 0 ? played.lastAudioTime : masterDuration)] {
                if end.map({ abs($0 - masterDuration) > 0.5 }) ?? true {
                    problems.append("GStreamer played \(kind) of \(manifest) to \(end ?? 0) s, the master lasts \(masterDuration) s")
                }
            }
        }
    }
}

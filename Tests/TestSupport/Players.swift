import Foundation

/// What a player reported after playing a stream to the end.
public struct PlaybackReport: Sendable, CustomStringConvertible {
    public var status: Int32
    public var videoBuffers: Int
    public var audioBuffers: Int
    /// Running time at which video / audio reached end-of-stream, seconds (the length the player played).
    public var lastVideoTime: Double?
    public var lastAudioTime: Double?
    public var errors: String

    public var description: String {
        "status \(status), video \(videoBuffers) buffers to \(lastVideoTime ?? -1) s, audio \(audioBuffers) buffers to \(lastAudioTime ?? -1) s \(errors)"
    }
}

/// Independent players and probes reading Strata's output.
public enum Players {
    /// Plays `url` with GStreamer's `playbin` (hlsdemux / dashdemux) as fast as possible. Buffers and the
    /// end-of-stream time are read from `basesink`'s debug log, which is written synchronously for each buffer.
    public static func gstreamer(_ url: String) throws -> PlaybackReport {
        let result = try ToolRunner.run("gst-launch-1.0", [
            "playbin", "uri=\(url)", "video-sink=fakesink sync=false name=vsink", "audio-sink=fakesink sync=false name=asink",
        ], timeout: 300, environment: ["GST_DEBUG": "basesink:6", "GST_DEBUG_NO_COLOR": "1"])
        var rendered = ["vsink": 0, "asink": 0]
        var end: [String: Double] = [:]
        for line in result.stderr.split(separator: "\n") {
            let sink = line.contains("<vsink>") ? "vsink" : line.contains("<asink>") ? "asink" : nil
            guard let sink else { continue }
            if line.contains("rendering object") {
                rendered[sink, default: 0] += 1
            } else if let range = line.range(of: #"sync times for EOS \d+:\d\d:\d\d\.\d+"#, options: .regularExpression) {
                end[sink] = clockSeconds(String(line[range].dropFirst("sync times for EOS ".count)))
            }
        }
        let errors = (result.stdout + result.stderr).split(separator: "\n").filter { $0.hasPrefix("ERROR") }.joined(separator: "\n")
        return PlaybackReport(status: result.status, videoBuffers: rendered["vsink"]!, audioBuffers: rendered["asink"]!,
                              lastVideoTime: end["vsink"], lastAudioTime: end["asink"], errors: errors)
    }

    /// Decodes streams of `url` (all by default) with the ffmpeg CLI; returns its status and error output.
    public static func ffmpegDecode(_ url: String, map: String = "0") throws -> ToolResult {
        try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-i", url, "-map", map, "-f", "null", "-"], timeout: 300)
    }

    /// `ffprobe -show_streams -show_format` as JSON, with Debian's ffprobe or another build.
    public static func probe(_ url: String, extra: [String] = [], ffprobe: String = "ffprobe") throws -> ProbeReport {
        let result = try ToolRunner.require(ffprobe, ["-v", "error", "-of", "json", "-show_streams", "-show_format"] + extra + [url])
        return try JSONDecoder().decode(ProbeReport.self, from: Data(result.stdout.utf8))
    }

    /// Every decoded frame of `url` (type, presentation time, key flag, picture type).
    public static func frames(_ url: String, stream: String = "v:0", readIntervals: String? = nil) throws -> [ProbeFrame] {
        let intervals = readIntervals.map { ["-read_intervals", $0] } ?? []
        let result = try ToolRunner.require("ffprobe", ["-v", "error", "-of", "json", "-select_streams", stream] + intervals +
                                                       ["-show_entries", "frame=media_type,pts_time,key_frame,pict_type,width,height,sample_aspect_ratio", url])
        return try JSONDecoder().decode(ProbeFrames.self, from: Data(result.stdout.utf8)).frames
    }

    /// Seconds from the first packet's presentation time to the last packet's end, for stream `stream` of `url`
    /// (what a player actually gets, rather than the duration a demuxer reports).
    public static func span(_ url: String, stream: String) throws -> Double? {
        let result = try ToolRunner.require("ffprobe", ["-v", "error", "-of", "csv=p=0", "-select_streams", stream,
                                                        "-show_entries", "packet=pts_time,duration_time", url])
        var first = Double.infinity, end = -Double.infinity
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: ",").map { Double($0) }
            guard fields.count == 2, let pts = fields[0] else { continue }
            first = min(first, pts)
            end = max(end, pts + (fields[1] ?? 0))
        }
        return end > first ? end - first : nil
    }

    private static func clockSeconds(_ text: String) -> Double {
        let parts = text.split(separator: ":").map { Double($0) ?? 0 }
        return parts.reduce(0) { $0 * 60 + $1 }
    }
}

public struct ProbeReport: Decodable, Sendable {
    public var streams: [ProbeStream]
    public var format: ProbeFormat?
}

public struct ProbeFormat: Decodable, Sendable {
    public var duration: String?
    public var durationSeconds: Double? { duration.flatMap(Double.init) }
}

public struct ProbeStream: Decodable, Sendable {
    public var index: Int
    public var codec_name: String?
    public var codec_type: String?
    public var profile: String?
    public var level: Int?
    public var width: Int?
    public var height: Int?
    public var sample_aspect_ratio: String?
    public var sample_rate: String?
    public var channels: Int?
    public var r_frame_rate: String?
    public var avg_frame_rate: String?
    public var duration: String?
    public var tags: [String: String]?
    public var language: String? { tags?["language"] }
}

public struct ProbeFrames: Decodable, Sendable {
    public var frames: [ProbeFrame]
}

public struct ProbeFrame: Decodable, Sendable {
    public var media_type: String?
    public var pts_time: String?
    public var key_frame: Int?
    public var pict_type: String?
    public var width: Int?
    public var height: Int?
    public var sample_aspect_ratio: String?
    public var time: Double? { pts_time.flatMap(Double.init) }
}

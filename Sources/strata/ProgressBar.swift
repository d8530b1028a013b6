import Foundation
import StrataMedia

/// A one-line progress display on a terminal: bar, percent, fps, speed and time left.
struct ProgressBar {
    private let width = 28
    private var lastLength = 0

    /// True when stderr is a terminal, so redrawing a line makes sense.
    static var isAvailable: Bool { isatty(STDERR_FILENO) == 1 }

    mutating func draw(_ progress: TranscodeProgress) {
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = progress.secondsRemaining.map(ProgressBar.clock) ?? "--:--"
        let line = String(format: "%@ %3.0f%%  %5.1f fps  %4.2fx  ETA %@", bar, progress.fraction * 100,
                          progress.framesPerSecond, progress.speed, eta)
        let padding = String(repeating: " ", count: max(0, lastLength - line.count))
        FileHandle.standardError.write(Data("\r\(line)\(padding)".utf8))
        lastLength = line.count
    }

    /// Removes the bar so the next output starts on a clean line.
    mutating func clear() {
        guard lastLength > 0 else { return }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: lastLength))\r".utf8))
        lastLength = 0
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

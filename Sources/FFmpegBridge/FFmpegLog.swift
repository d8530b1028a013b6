import CFFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// How much FFmpeg itself may print to stderr.
public enum FFmpegLog {
    public enum Level: Sendable {
        case quiet, error, warning, info, debug

        var avLevel: Int32 {
            switch self {
            case .quiet: AV_LOG_QUIET
            case .error: AV_LOG_ERROR
            case .warning: AV_LOG_WARNING
            case .info: AV_LOG_INFO
            case .debug: AV_LOG_DEBUG
            }
        }

        var svtLevel: String {
            switch self {
            case .quiet: "0"
            case .error: "1"
            case .warning: "2"
            case .info: "3"
            case .debug: "4"
            }
        }
    }

    /// Sets FFmpeg's global log level. Strata reports errors itself, so the CLI keeps FFmpeg quiet unless asked.
    public static func setLevel(_ level: Level) {
        av_log_set_level(level.avLevel)
        // libsvtav1 prints its banner and settings itself, not through av_log; SVT_LOG is its level
        // (0 fatal … 4 debug), read once. A value the user exported wins.
        setenv("SVT_LOG", level.svtLevel, 0)
    }
}

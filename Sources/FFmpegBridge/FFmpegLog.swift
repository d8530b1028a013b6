import CFFmpeg

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
    }

    /// Sets FFmpeg's global log level. Strata reports errors itself, so the CLI keeps FFmpeg quiet unless asked.
    public static func setLevel(_ level: Level) {
        av_log_set_level(level.avLevel)
    }
}

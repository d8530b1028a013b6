import FFmpegBridge

/// Process-wide FFmpeg settings.
public enum FFmpegSetup {
    /// FFmpeg prints nothing unless asked: Strata reports problems itself, one clear line each.
    public static func configureLogging(verbose: Bool, debug: Bool) {
        FFmpegLog.setLevel(debug ? .debug : verbose ? .warning : .quiet)
    }
}

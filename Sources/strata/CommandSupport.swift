import ArgumentParser
import Foundation
import Logging
import StrataMedia
import StrataProfiles

/// Options every command that logs shares.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log progress details and FFmpeg warnings to stderr.")
    var verbose = false

    @Flag(name: .long, help: "Log everything, including FFmpeg's debug output.")
    var debug = false

    /// Sets up swift-log and FFmpeg's own logging, and returns the logger to use.
    /// - Parameter quietLevel: the level without --verbose or --debug.
    func bootstrap(label: String, quietLevel: Logger.Level = .warning) -> Logger {
        let level: Logger.Level = debug ? .trace : verbose ? .info : quietLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        FFmpegSetup.configureLogging(verbose: verbose, debug: debug)
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// Where profile names are looked up.
struct ProfileLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of profiles (default: $STRATA_PROFILES, else ./Profiles, else the one beside the strata checkout).", valueName: "dir"))
    var profilesDir: String?

    var library: ProfileLibrary {
        ProfileLibrary(directory: URL(fileURLWithPath: profilesDir ?? ProfileLocation.defaultDirectory()))
    }

    static func defaultDirectory() -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["STRATA_PROFILES"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: "Profiles") { return "Profiles" }
        // Running from a build folder inside the checkout: walk up from the executable.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("Profiles")
            if manager.fileExists(atPath: candidate.appendingPathComponent("default.yaml").path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return "Profiles"
    }
}

/// A parent may have started us with SIGINT/SIGTERM blocked (test runners do); long-running commands
/// need them to stop cleanly.
func unblockTerminationSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// Exit statuses, following BSD sysexits where one fits.
enum ExitStatus {
    static let dataError: Int32 = 65
    static let software: Int32 = 70
    static let cannotCreate: Int32 = 73
    static let configuration: Int32 = 78
    static let interrupted: Int32 = 130

    static func forCode(_ code: TranscodeError.Code) -> Int32 {
        switch code {
        case .inputMissing, .inputEmpty, .notMedia, .noVideo, .truncated, .unsupported, .invalidSidecar: dataError
        case .invalidProfile: configuration
        case .output: cannotCreate
        case .cancelled: interrupted
        case .encoding: software
        }
    }
}

/// Prints one line on stderr and ends the process with `status`.
func fail(_ message: String, status: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("strata: error: \(message)\n".utf8))
    return ExitCode(status)
}

/// JSON as the CLI prints it: pretty, sorted keys, slashes unescaped.
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

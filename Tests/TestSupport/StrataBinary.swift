import Foundation

/// The `strata` executable built alongside the tests, run as a user would run it.
public enum StrataBinary {
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["STRATA_BINARY"] { return URL(fileURLWithPath: override) }
        let products = Bundle.main.bundleURL.pathExtension == "xctest"
            ? Bundle.main.bundleURL.deletingLastPathComponent()
            : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("strata")
    }

    /// Runs `strata` with `arguments` from the repository root (so `Profiles/` is found).
    public static func run(_ arguments: [String], timeout: Double = 900) throws -> ToolResult {
        try ToolRunner.run(url.path, arguments, timeout: timeout, currentDirectory: repositoryRoot)
    }

    /// Starts `strata` without waiting for it, for tests that interrupt it.
    public static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

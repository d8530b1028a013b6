import Foundation

/// `strata worker` on a shared queue and data folder, as an operator runs it on another machine.
public final class WorkerProcess: @unchecked Sendable {
    private let process = Process()
    public let name: String
    /// Its log (stderr).
    public let logFile: URL

    /// Starts the worker and waits until it is connected to the queue.
    public init(queue: String, data: URL, name: String, leaseSeconds: Double) throws {
        self.name = name
        logFile = data.deletingLastPathComponent().appendingPathComponent("\(data.lastPathComponent)-\(name).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = StrataBinary.url
        process.arguments = ["worker", "--database", queue, "--data", data.path, "--name", name, "--lease-seconds", "\(leaseSeconds)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !log.contains("worker ready"), Date() < deadline, process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        guard log.contains("worker ready") else {
            kill(process.processIdentifier, SIGKILL)
            throw ToolError("strata worker \(name) did not start: \(log)")
        }
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    public var isRunning: Bool { process.isRunning }

    /// SIGKILL: the worker (or its machine) is gone without a word.
    public func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then wait: a graceful shutdown.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

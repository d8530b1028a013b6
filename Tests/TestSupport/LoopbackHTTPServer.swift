import Foundation

/// Serves a folder over HTTP on 127.0.0.1 with Python's `http.server`: a web server that is not ours,
/// so players read Strata's output exactly as they would from any static host.
public final class LoopbackHTTPServer: @unchecked Sendable {
    private let process = Process()
    /// e.g. `http://127.0.0.1:41234`
    public let baseURL: String

    public init(serving directory: URL) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory.path]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while !text.contains("port "), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"port (\d+)"#, options: .regularExpression),
              let port = Int(text[range].dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ToolError("python3 -m http.server did not start: \(text)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    public func url(_ path: String) -> String { "\(baseURL)/\(path)" }

    deinit {
        // SIGKILL: children of the test runner inherit its blocked signal mask, so SIGTERM may never arrive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

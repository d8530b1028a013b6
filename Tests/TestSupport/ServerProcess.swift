import Foundation

/// `strata serve` running on a free loopback port with its own data folder, as an operator would run it.
public final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    public let dataDirectory: URL
    public let profilesDirectory: URL
    public let token: String
    /// e.g. `http://127.0.0.1:40123`
    public let baseURL: String

    /// The server's log (stderr), kept when `keepLog` was set.
    public let logFile: URL?

    /// Starts the server and waits until it listens.
    public init(dataDirectory: URL, profilesDirectory: URL, token: String = "test-token", extraArguments: [String] = [], keepLog: Bool = false) throws {
        self.dataDirectory = dataDirectory
        self.profilesDirectory = profilesDirectory
        self.token = token
        process.executableURL = StrataBinary.url
        process.arguments = ["serve", "--port", "0", "--data", dataDirectory.path, "--profiles-dir", profilesDirectory.path] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["STRATA_API_TOKEN"] = token
        process.environment = environment
        process.standardOutput = output
        if keepLog {
            let log = dataDirectory.deletingLastPathComponent().appendingPathComponent(dataDirectory.lastPathComponent + ".log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            logFile = log
        } else {
            process.standardError = FileHandle.nullDevice
            logFile = nil
        }
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("listening on "), Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"listening on (http://[0-9.:]+)"#, options: .regularExpression) else {
            kill(process.processIdentifier, SIGKILL)
            throw ToolError("strata serve did not start: \(text)")
        }
        baseURL = String(text[range].dropFirst("listening on ".count))
    }

    public func url(_ path: String) -> String { baseURL + path }

    /// The port it listens on.
    public var port: UInt16 { UInt16(baseURL.split(separator: ":").last.flatMap { Int($0) } ?? 0) }

    /// What it has logged so far (empty unless started with `keepLog`).
    public var log: String { logFile.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "" }

    public var isRunning: Bool { process.isRunning }

    /// The server's process id (to inspect `/proc/PID`).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// SIGTERM, then wait: a graceful shutdown.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: a crash.
    public func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// An HTTP exchange made with curl, an independent client that can also send paths exactly as written.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as JSON.
    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
}

public enum HTTP {
    /// Sends a request; `bodyFile` is uploaded as the raw body; `pathAsIs` keeps `..` and friends verbatim; `interface`
    /// is the local address to connect from (e.g. 127.0.0.2, another loopback address).
    public static func request(_ url: String, method: String = "GET", headers: [String: String] = [:], bodyFile: URL? = nil,
                               body: String? = nil, pathAsIs: Bool = false, interface: String? = nil) throws -> HTTPResponse {
        let folder = FileManager.default.temporaryDirectory
        let headerFile = folder.appendingPathComponent("strata-http-\(UUID().uuidString).headers")
        let bodyOut = folder.appendingPathComponent("strata-http-\(UUID().uuidString).body")
        defer {
            try? FileManager.default.removeItem(at: headerFile)
            try? FileManager.default.removeItem(at: bodyOut)
        }
        var arguments = ["-s", "-X", method, "-D", headerFile.path, "-o", bodyOut.path, "-w", "%{http_code}"]
        if method == "HEAD" { arguments = ["-s", "-I", "-D", headerFile.path, "-o", bodyOut.path, "-w", "%{http_code}"] }
        if pathAsIs { arguments.append("--path-as-is") }
        if let interface { arguments += ["--interface", interface] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let bodyFile { arguments += ["--data-binary", "@\(bodyFile.path)", "-H", "Content-Type: application/octet-stream"] }
        if let body { arguments += ["--data-binary", body] }
        arguments.append(url)
        let result = try ToolRunner.run("curl", arguments, timeout: 300)
        var fields: [String: String] = [:]
        let raw = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        for line in raw.split(separator: "\r\n") where line.contains(":") {
            let name = line[..<line.firstIndex(of: ":")!].lowercased()
            fields[name] = line[line.index(after: line.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces)
        }
        // With -I curl writes the headers where the body would go; a HEAD response has no body.
        let received = method == "HEAD" ? Data() : (try? Data(contentsOf: bodyOut)) ?? Data()
        return HTTPResponse(status: Int(result.stdout) ?? 0, headers: fields, body: received)
    }
}

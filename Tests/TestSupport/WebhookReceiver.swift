import Foundation

/// A webhook receiver on 127.0.0.1 (Python's `http.server`, not our code) that records every POST it gets.
/// A path `/fail<N>/…` answers 500 to its first N requests, then 200; a path `/hang/…` is recorded at once and
/// answered only after 60 s (longer than the server waits).
public final class WebhookReceiver: @unchecked Sendable {
    private let process = Process()
    private let log: URL
    /// e.g. `http://127.0.0.1:41234`
    public let baseURL: String

    /// One request as received.
    public struct Delivery: Sendable {
        public var path: String
        public var status: Int
        public var headers: [String: String]
        public var body: Data
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    public init() throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("strata-webhooks-\(UUID().uuidString).jsonl")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let script = """
        import base64, collections, http.server, json, re, sys, time
        log = sys.argv[1]
        seen = collections.Counter()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                seen[self.path] += 1
                match = re.match(r"/fail(\\d+)", self.path)
                status = 500 if match and seen[self.path] <= int(match.group(1)) else 200
                with open(log, "a") as out:
                    out.write(json.dumps({"path": self.path, "status": status, "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": base64.b64encode(body).decode()}) + "\\n")
                if self.path.startswith("/hang"):
                    time.sleep(60)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("port", server.server_address[1], flush=True)
        server.serve_forever()
        """
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", script, log.path]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while !text.contains("\n"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"port (\d+)"#, options: .regularExpression), let port = Int(text[range].dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ToolError("the webhook receiver did not start: \(text)")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    public func url(_ path: String) -> String { baseURL + path }

    /// Every request so far, in arrival order.
    public var deliveries: [Delivery] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Delivery(path: object["path"] as? String ?? "", status: object["status"] as? Int ?? 0,
                            headers: object["headers"] as? [String: String] ?? [:],
                            body: Data(base64Encoded: object["body"] as? String ?? "") ?? Data())
        }
    }

    /// Waits until `condition` holds for the deliveries so far (or `timeout` passes) and returns them.
    public func wait(timeout: Double = 120, until condition: ([Delivery]) -> Bool) -> [Delivery] {
        let deadline = Date().addingTimeInterval(timeout)
        var current = deliveries
        while !condition(current), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            current = deliveries
        }
        return current
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}

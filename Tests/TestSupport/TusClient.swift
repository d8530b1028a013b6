import Foundation

/// The stock Python tus client (tuspy, from PyPI in `.tools/venv`) driving a server's `/v1/uploads`: an
/// independent peer for the resumable-upload tests.
public enum TusClient {
    static let python = repositoryRoot.appendingPathComponent(".tools/venv/bin/python").path

    /// Creates an upload of `file` at `endpoint` and sends it in `chunkSize` pieces up to `stopAt` (the end by default).
    /// Returns the upload's URL and its offset when the client stopped.
    public static func upload(_ file: String, endpoint: String, token: String?, metadata: [String: String] = [:],
                              chunkSize: Int = 256 << 10, stopAt: Int? = nil, checksum: Bool = true) throws -> (url: String, offset: Int) {
        let script = """
        import json, sys
        from tusclient import client
        file, endpoint, token, metadata, chunk, stop, checksum = sys.argv[1:8]
        headers = {"Authorization": "Bearer " + token} if token else {}
        tus = client.TusClient(endpoint, headers=headers)
        uploader = tus.uploader(file, chunk_size=int(chunk), metadata=json.loads(metadata), upload_checksum=checksum == "1")
        uploader.upload(stop_at=int(stop) if stop else None)
        print(uploader.url)
        print(uploader.offset)
        """
        return try run(script, [file, endpoint, token ?? "", json(metadata), "\(chunkSize)", stopAt.map(String.init) ?? "", checksum ? "1" : "0"])
    }

    /// Asks tuspy to create an upload the server should refuse; returns the status and body tuspy got back.
    public static func refusedCreation(_ file: String, endpoint: String, token: String?, metadata: [String: String]) throws -> (status: Int, body: String) {
        let script = """
        import json, sys
        from tusclient import client
        from tusclient.exceptions import TusCommunicationError
        file, endpoint, token, metadata = sys.argv[1:5]
        headers = {"Authorization": "Bearer " + token} if token else {}
        try:
            uploader = client.TusClient(endpoint, headers=headers).uploader(file, metadata=json.loads(metadata))
            url = uploader.create_url()
            print(json.dumps({"status": 0, "body": "created " + str(url)}))
        except TusCommunicationError as error:
            body = error.response_content.decode() if isinstance(error.response_content, bytes) else str(error.response_content)
            print(json.dumps({"status": error.status_code, "body": body}))
        """
        let result = try ToolRunner.require(python, ["-c", script, file, endpoint, token ?? "", json(metadata)], timeout: 120)
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let status = object["status"] as? Int, let body = object["body"] as? String else {
            throw ToolError("tuspy printed: \(result.stdout)")
        }
        return (status, body)
    }

    /// Resumes the upload at `url` (tuspy asks the server for the offset with HEAD) and sends the rest.
    public static func resume(_ file: String, url: String, token: String?, chunkSize: Int = 256 << 10) throws -> (url: String, offset: Int) {
        let script = """
        import sys
        from tusclient import client
        file, url, token, chunk = sys.argv[1:5]
        headers = {"Authorization": "Bearer " + token} if token else {}
        uploader = client.TusClient(url, headers=headers).uploader(file, url=url, chunk_size=int(chunk), upload_checksum=True)
        print(uploader.offset, file=sys.stderr)
        uploader.upload()
        print(uploader.url)
        print(uploader.offset)
        """
        return try run(script, [file, url, token ?? "", "\(chunkSize)"])
    }

    /// Starts a PATCH of `file` from `offset` that sends `sendBytes` of the rest and then stalls with the connection
    /// open, as a client on a network that died mid-chunk. Returns once those bytes are written to the socket.
    public static func startStalledPatch(_ file: String, url: String, token: String?, offset: Int, sendBytes: Int) throws -> Process {
        let script = """
        import http.client, sys, time, urllib.parse
        file, url, token, offset, send = sys.argv[1:6]
        offset, send = int(offset), int(send)
        data = open(file, "rb").read()[offset:]
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        connection.putrequest("PATCH", parts.path)
        for name, value in [("Tus-Resumable", "1.0.0"), ("Upload-Offset", str(offset)), ("Content-Length", str(len(data))),
                            ("Content-Type", "application/offset+octet-stream")] + ([("Authorization", "Bearer " + token)] if token else []):
            connection.putheader(name, value)
        connection.endheaders()
        connection.send(data[:send])
        print("stalled", flush=True)
        time.sleep(600)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, file, url, token ?? "", "\(offset)", "\(sendBytes)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while !text.contains("stalled"), Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard text.contains("stalled") else {
            process.terminate()
            throw ToolError("the stalled PATCH did not start: \(text)")
        }
        return process
    }

    private static func run(_ script: String, _ arguments: [String]) throws -> (url: String, offset: Int) {
        let result = try ToolRunner.require(python, ["-c", script] + arguments, timeout: 300)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        guard lines.count >= 2, let offset = Int(lines[lines.count - 1]) else { throw ToolError("tuspy printed: \(result.stdout)") }
        return (lines[lines.count - 2], offset)
    }

    private static func json(_ value: [String: String]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

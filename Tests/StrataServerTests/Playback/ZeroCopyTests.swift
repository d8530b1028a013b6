import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("segments sent zero-copy (sendfile): exact bytes, keep-alive, pipelining, no leaked files")
    struct ZeroCopyTests {
        /// A published asset plus `video/540p/large.m4s`, 5 MB of random bytes: more than a loopback socket
        /// buffer holds, so sending it takes many sendfile calls and waits for the client.
        func publishedWithLargeFile() throws -> (server: ServerProcess, id: String, package: URL, large: Data) {
            let (server, id, package) = try HTTPSemanticsTests().published()
            let large = try #require(FileHandle(forReadingAtPath: "/dev/urandom")).readData(ofLength: 5 << 20)
            try large.write(to: package.appendingPathComponent("video/540p/large.m4s"))
            return (server, id, package, large)
        }

        /// The ranges a player or a CDN asks for: the whole file, first, middle and last byte, open-ended,
        /// past the end, and suffix ranges (one byte, a few hundred, longer than the file).
        static func cases(size: Int) -> [(range: String?, bytes: Range<Int>)] {
            [
                (nil, 0..<size), ("bytes=0-0", 0..<1), ("bytes=\(size / 2)-\(size / 2)", (size / 2)..<(size / 2 + 1)),
                ("bytes=\(size - 1)-\(size - 1)", (size - 1)..<size), ("bytes=\(size / 3)-", (size / 3)..<size),
                ("bytes=100-\(size + 1000)", 100..<size), ("bytes=-1", (size - 1)..<size), ("bytes=-500", (size - 500)..<size),
                ("bytes=-\(size + 10)", 0..<size), ("bytes=7-70000", 7..<min(70001, size)),
            ]
        }

        @Test("whole files and byte ranges are exactly the file's bytes, many requests on one keep-alive connection (curl)")
        func keepAlive() throws {
            let (server, id, package, large) = try publishedWithLargeFile()
            defer { server.stop() }
            let segment = try Data(contentsOf: package.appendingPathComponent("video/540p/seg-1.m4s"))
            let manifest = try Data(contentsOf: package.appendingPathComponent("manifest.mpd"))
            var requests: [(path: String, range: String?, bytes: Range<Int>, file: Data)] = []
            for (path, file) in [("video/540p/seg-1.m4s", segment), ("video/540p/large.m4s", large)] {
                for (range, bytes) in Self.cases(size: file.count) { requests.append((path, range, bytes, file)) }
                // A body that goes through user space, between zero-copy ones on the same connection.
                requests.append(("manifest.mpd", nil, 0..<manifest.count, manifest))
            }
            let folder = try makeTemporaryDirectory("zero-copy")
            defer { try? FileManager.default.removeItem(at: folder) }
            var arguments: [String] = []
            for (index, request) in requests.enumerated() {
                if index > 0 { arguments.append("--next") }
                arguments += ["-s", "-o", folder.appendingPathComponent("\(index).body").path,
                              "-D", folder.appendingPathComponent("\(index).head").path, "-w", "%{http_code} %{num_connects}\\n"]
                if let range = request.range { arguments += ["-H", "Range: \(range)"] }
                // The last request closes the connection: the body must still arrive whole before the close.
                if index == requests.count - 1 { arguments += ["-H", "Connection: close"] }
                arguments.append(server.url("/stream/\(id)/\(request.path)"))
            }
            let lines = try ToolRunner.require("curl", arguments, timeout: 120).stdout.split(separator: "\n")
            try #require(lines.count == requests.count)
            for (index, request) in requests.enumerated() {
                let label = "\(request.path) \(request.range ?? "whole")"
                let fields = lines[index].split(separator: " ")
                #expect(fields[1] == (index == 0 ? "1" : "0"), "\(label): a new connection instead of the kept-alive one")
                #expect(fields[0] == (request.range == nil ? "200" : "206"), "\(label): status \(fields[0])")
                let body = try Data(contentsOf: folder.appendingPathComponent("\(index).body"))
                #expect(body == request.file.subdata(in: request.bytes), "\(label): \(body.count) bytes, not the file's \(request.bytes)")
                let head = try String(contentsOf: folder.appendingPathComponent("\(index).head"), encoding: .utf8).lowercased()
                #expect(head.contains("content-length: \(request.bytes.count)\r\n"), "\(label)")
                #expect(!head.contains("x-strata"), "\(label): an internal header reached the client")
                if request.range != nil {
                    let range = "bytes \(request.bytes.lowerBound)-\(request.bytes.upperBound - 1)/\(request.file.count)"
                    #expect(head.contains("content-range: \(range)\r\n"), "\(label)")
                }
            }
        }

        @Test("pipelined requests of every kind are answered in order, each with exactly its bytes; vanished clients leave no file open")
        func pipeliningAndDisconnects() throws {
            let (server, id, package, large) = try publishedWithLargeFile()
            defer { server.stop() }
            let segment = try Data(contentsOf: package.appendingPathComponent("video/540p/seg-1.m4s"))
            let manifest = try Data(contentsOf: package.appendingPathComponent("manifest.mpd"))
            let tag = try #require(try HTTP.request(server.url("/stream/\(id)/video/540p/seg-1.m4s")).header("etag"))
            func get(_ path: String, _ extra: String = "", method: String = "GET") -> String {
                "\(method) /stream/\(id)/\(path) HTTP/1.1\r\nHost: strata\r\n\(extra)\r\n"
            }
            let middle = segment.count / 2
            // Zero-copy bodies interleaved with in-memory ones, empty ones and errors, all sent before any answer.
            let connection = try RawHTTPConnection(server.baseURL)
            try connection.send(
                get("video/540p/seg-1.m4s") + get("manifest.mpd") + get("video/540p/seg-1.m4s", method: "HEAD")
                    + get("video/540p/large.m4s", "Range: bytes=-1\r\n") + get("video/540p/seg-1.m4s", "If-None-Match: \(tag)\r\n")
                    + get("video/540p/seg-1.m4s", "Range: bytes=\(segment.count)-\r\n") + get("video/540p/large.m4s")
                    + get("video/540p/nothing.m4s") + get("video/540p/seg-1.m4s", "Range: bytes=\(middle)-\(middle)\r\nConnection: close\r\n"))
            let expected: [(status: Int, body: Data?, head: Bool)] = [
                (200, segment, false), (200, manifest, false), (200, Data(), true), (206, large.suffix(1), false), (304, Data(), false),
                (416, Data(), false), (200, large, false), (404, nil, false), (206, segment.subdata(in: middle..<(middle + 1)), false),
            ]
            for (index, answer) in expected.enumerated() {
                let response = try connection.response(head: answer.head)
                #expect(response.status == answer.status, "response \(index)")
                if let body = answer.body { #expect(response.body == body, "response \(index): other bytes") }
                #expect(response.headers["x-strata-file-region"] == nil)
            }
            #expect(try connection.isClosedByServer(), "Connection: close was honoured after the last body")

            // A client that stops reading holds one open file on the server...
            let stalled = try RawHTTPConnection(server.baseURL)
            try stalled.send(String(repeating: get("video/540p/large.m4s"), count: 4))
            try stalled.receive()
            #expect(try waitForOpenFiles(server, in: package) { $0 > 0 }, "the stalled response's file is open while it is sent")
            // ...and clients that vanish mid-body (reset with unread bytes) or before any answer close theirs.
            stalled.close()
            for index in 0..<8 {
                let vanishing = try RawHTTPConnection(server.baseURL)
                try vanishing.send(String(repeating: get("video/540p/large.m4s", "Range: bytes=\(index)-\r\n"), count: 4))
                if index % 2 == 0 { try vanishing.receive() }
                vanishing.close()
            }
            #expect(try waitForOpenFiles(server, in: package) { $0 == 0 }, "files left open after their clients went away")
            #expect(try HTTP.request(server.url("/stream/\(id)/video/540p/large.m4s")).body == large, "the server still serves")
        }

        /// Polls the server's open descriptors until the number of package files among them satisfies `condition`
        /// (false after a generous minute: a condition that never holds is the failure, not a slow machine).
        func waitForOpenFiles(_ server: ServerProcess, in package: URL, _ condition: (Int) -> Bool) throws -> Bool {
            let folder = "/proc/\(server.processIdentifier)/fd"
            let prefix = package.resolvingSymlinksInPath().path + "/"
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let open = try FileManager.default.contentsOfDirectory(atPath: folder).filter { descriptor in
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(descriptor)"))?.hasPrefix(prefix) == true
                }
                if condition(open.count) { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
    }
}

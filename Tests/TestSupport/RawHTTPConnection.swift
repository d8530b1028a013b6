import Foundation

/// One raw HTTP/1.1 connection over a loopback socket: sends bytes exactly as given (several requests at once,
/// i.e. pipelined, if asked) and splits the answer strictly by each response's `Content-Length`, so a response
/// with one byte too many or too few breaks every response after it.
public final class RawHTTPConnection {
    /// One parsed response.
    public struct Response: Sendable {
        public var status: Int
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data
    }

    private let socket: Int32
    private var buffer = Data()
    private var isOpen = true

    /// Connects to `baseURL` (`http://127.0.0.1:PORT`); reads give up after `timeout` seconds of silence.
    public init(_ baseURL: String, timeout: Int = 60) throws {
        guard let port = URL(string: baseURL)?.port else { throw ToolError("no port in \(baseURL)") }
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ToolError("socket(): errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Foundation.close(socket)
            throw ToolError("connect to \(baseURL): errno \(errno)")
        }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `text` as is.
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw ToolError("send: errno \(errno)") }
            sent += count
        }
    }

    /// Reads at least one more byte (at most `limit`) into the buffer; false at end of stream.
    @discardableResult
    public func receive(limit: Int = 1 << 16) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: limit)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, limit, 0) }
        guard count >= 0 else { throw ToolError("recv: errno \(errno) (nothing within the timeout?)") }
        buffer.append(contentsOf: chunk[..<count])
        return count > 0
    }

    /// The next response; `head` for the answer to a HEAD request (which has no body whatever its length says).
    public func response(head: Bool = false) throws -> Response {
        let separator = Data("\r\n\r\n".utf8)
        var end = buffer.range(of: separator)
        while end == nil {
            guard try receive() else { throw ToolError("connection closed before a response head") }
            end = buffer.range(of: separator)
        }
        let lines = String(decoding: buffer[buffer.startIndex..<end!.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw ToolError("not an HTTP/1.1 status line: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw ToolError("malformed header line: \(line)") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        buffer = Data(buffer[end!.upperBound...])
        var length = 0
        if !head && status != 304 && status != 204 {
            guard let declared = headers["content-length"].flatMap(Int.init) else {
                throw ToolError("status \(status) without Content-Length: \(headers)")
            }
            length = declared
        }
        while buffer.count < length {
            guard try receive(limit: max(1 << 16, length - buffer.count)) else {
                throw ToolError("connection closed after \(buffer.count) of \(length) body bytes")
            }
        }
        let body = Data(buffer.prefix(length))
        buffer = Data(buffer.dropFirst(length))
        return Response(status: status, headers: headers, body: body)
    }

    /// True when the server has closed its side and sent nothing more.
    public func isClosedByServer() throws -> Bool {
        try buffer.isEmpty && !receive()
    }

    /// Closes the socket; with bytes still unread the kernel resets the connection.
    public func close() {
        if isOpen { Foundation.close(socket) }
        isOpen = false
    }

    deinit { close() }
}

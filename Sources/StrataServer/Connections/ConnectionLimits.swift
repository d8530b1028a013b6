import Foundation

/// How long clients may dawdle and how many may be connected at once: what keeps slow or idle
/// clients from holding the server's file descriptors (nginx-like defaults).
public struct ConnectionLimits: Sendable, Equatable {
    /// Time a new connection has to send its first request head (nginx `client_header_timeout`).
    public var headerTimeout: Duration
    /// Time a kept-alive connection may wait for its next request (nginx `keepalive_timeout`).
    public var idleTimeout: Duration
    /// Longest gap between two pieces of a request body, e.g. a stalled upload (nginx `client_body_timeout`).
    public var bodyTimeout: Duration
    /// Connections open at once. At the cap the connection that has waited longest for a request head is
    /// closed to make room; when none is waiting, new connections queue in the kernel until one closes.
    public var maxConnections: Int

    /// File descriptors kept out of the connection cap for the database, uploads, packages and jobs.
    public static let reservedDescriptors = 256

    public init(headerTimeout: Duration = .seconds(60), idleTimeout: Duration = .seconds(60), bodyTimeout: Duration = .seconds(60),
                maxConnections: Int = ConnectionLimits.defaultMaxConnections()) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }

    /// 4096, or fewer when the descriptor limit minus the reserve is lower (at least 16).
    public static func defaultMaxConnections(descriptorLimit: Int = ConnectionLimits.descriptorLimit()) -> Int {
        max(16, min(4096, descriptorLimit - reservedDescriptors))
    }

    /// The largest cap the process's descriptor limit allows while keeping the reserve.
    public static func largestMaxConnections(descriptorLimit: Int = ConnectionLimits.descriptorLimit()) -> Int {
        max(16, descriptorLimit - reservedDescriptors)
    }

    /// The process's open-file limit, raised first to its hard limit (as nginx's `worker_rlimit_nofile` would).
    public static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }
}

import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Counts the server's connections and knows which ones are waiting for a request head, so that at the
/// cap the one that has waited longest can be closed to let new clients (and `/healthz`) in.
final class ConnectionRegistry: Sendable {
    private struct State {
        var open = 0
        var waiting: [ObjectIdentifier: (channel: any Channel, since: NIODeadline)] = [:]
        var lastWarning: NIODeadline?
        var shedSinceWarning = 0
    }

    let maxConnections: Int
    private let logger: Logger
    private let state = Mutex(State())
    /// At most one warning per this interval while the cap is being hit.
    private static let warningInterval = TimeAmount.seconds(10)

    init(maxConnections: Int, logger: Logger) {
        self.maxConnections = maxConnections
        self.logger = logger
    }

    /// Accept more when under the cap, or when some connection can be closed to make room.
    var isAccepting: Bool {
        let accepting = state.withLock { $0.open < maxConnections || !$0.waiting.isEmpty }
        if !accepting { warnIfDue() }
        return accepting
    }

    /// A connection was accepted; over the cap, the one waiting longest for a request head is closed.
    func opened() {
        let shed: (any Channel)? = state.withLock { state in
            state.open += 1
            guard state.open > maxConnections,
                  let oldest = state.waiting.min(by: { $0.value.since < $1.value.since }) else { return nil }
            state.waiting[oldest.key] = nil
            state.shedSinceWarning += 1
            return oldest.value.channel
        }
        shed?.close(promise: nil)
        warnIfDue()
    }

    func closed() {
        state.withLock { $0.open -= 1 }
    }

    /// `channel` now waits for a request head (just connected, or idle between requests).
    func waitingForHead(_ channel: any Channel) {
        state.withLock { $0.waiting[ObjectIdentifier(channel)] = (channel, .now()) }
    }

    /// `channel` is busy with a request, or gone.
    func busy(_ channel: any Channel) {
        _ = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    private func warnIfDue() {
        let report: (open: Int, shed: Int)? = state.withLock { state in
            guard state.open >= maxConnections else { return nil }
            let now = NIODeadline.now()
            if let last = state.lastWarning, now - last < Self.warningInterval { return nil }
            state.lastWarning = now
            defer { state.shedSinceWarning = 0 }
            return (state.open, state.shedSinceWarning)
        }
        guard let report else { return }
        // Connections waiting longest for a request head are closed to make room; with none waiting,
        // new connections queue in the kernel until one closes.
        logger.warning("connection limit reached", metadata: [
            "limit": "\(maxConnections)", "open": "\(report.open)", "closedWaitingForHead": "\(report.shed)",
        ])
    }
}

/// Hummingbird's accept gate, driven by the registry.
struct RegistryConnectionGate: AvailableConnectionsDelegate {
    let registry: ConnectionRegistry

    mutating func connectionOpened() { registry.opened() }
    mutating func connectionClosed() { registry.closed() }
    func isAcceptingNewConnections() -> Bool { registry.isAccepting }
}

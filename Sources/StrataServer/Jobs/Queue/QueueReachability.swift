import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Tells the operator once that the shared queue cannot be reached and once that it answers again, however many
/// calls fail and are retried meanwhile (each retry is logged at debug level only).
///
/// A call marks the queue lost when it fails for the connection's sake, or when it has not answered after
/// `patience`: while PostgreSQL is down the connection pool holds calls until it can connect again rather than
/// failing them, so a silent wait is the usual sign. The next call that answers marks it back.
final class QueueReachability: Sendable {
    /// The queue's URL without its password.
    let queue: String
    let logger: Logger
    /// How long a call may go unanswered before the queue counts as lost.
    let patience: Duration
    /// How often a long outage is logged again.
    static let reminder: Duration = .seconds(60)

    private struct Outage {
        var since: ContinuousClock.Instant
        var remindedAt: ContinuousClock.Instant
        var failures: Int
    }
    private let outage = Mutex<Outage?>(nil)

    init(queue: String, logger: Logger, patience: Duration = .seconds(2)) {
        self.queue = queue
        self.logger = logger
        self.patience = patience
    }

    /// Runs `call`, which does `what` (in words, for the log), and notes whether the queue answered.
    func watch<Value>(_ what: String, _ call: () async throws -> Value) async throws -> Value {
        let (patience, started) = (self.patience, ContinuousClock.now)
        let watchdog = Task {
            try await Task.sleep(for: patience)
            self.lost(since: started, while: what, reason: "no answer for \(patience.seconds) s")
        }
        defer { watchdog.cancel() }
        do {
            let value = try await call()
            watchdog.cancel()
            answered()
            return value
        } catch where Task.isCancelled {
            throw error  // the caller gave up (its unit ended); that says nothing about the queue
        } catch where QueueReachability.isOutage(error) {
            lost(since: started, while: what, reason: QueueReachability.reason(error))
            throw error
        } catch {
            answered()  // the server answered, with an error of the call's own
            throw error
        }
    }

    /// Whether `error` means the queue could not be reached (rather than that it refused one call): a lost or refused
    /// connection, a pool that gave up connecting, or a server shutting down or out of connections.
    static func isOutage(_ error: any Error) -> Bool {
        switch error {
        case is CancellationError, is PostgresDecodingError, is QueueSetupError:
            return false
        case let error as PSQLError:
            guard error.code == .server else { return error.code != .queryCancelled }
            // SQLSTATE classes 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown).
            let state = error.serverInfo?[.sqlState] ?? ""
            return ["08", "53", "57"].contains { state.hasPrefix($0) }
        default:
            return true
        }
    }

    /// A one-line reason for the log (PostgresNIO's own description of its errors is deliberately generic).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "the server said: \(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    /// A call started at `started` failed or is still waiting.
    private func lost(since started: ContinuousClock.Instant, while what: String, reason: String) {
        let now = ContinuousClock.now
        // nil: already reported; else whether this is the first report, and how long the outage has lasted.
        let report = outage.withLock { state -> (first: Bool, lasting: Duration)? in
            guard var current = state else {
                state = Outage(since: started, remindedAt: now, failures: 1)
                return (true, .zero)
            }
            current.failures += 1
            let remind = now - current.remindedAt >= QueueReachability.reminder
            if remind { current.remindedAt = now }
            state = current
            return remind ? (false, now - current.since) : nil
        }
        let metadata: Logger.Metadata = ["queue": "\(queue)", "while": "\(what)", "error": "\(reason)"]
        switch report {
        case nil:
            logger.debug("the shared queue is still unreachable; retrying", metadata: metadata)
        case let report? where report.first:
            logger.warning("the shared queue cannot be reached; retrying", metadata: metadata)
        case let report?:
            logger.warning("the shared queue still cannot be reached after \(Int(report.lasting.seconds)) s; retrying",
                           metadata: metadata)
        }
    }

    private func answered() {
        let ended = outage.withLock { state -> Outage? in
            defer { state = nil }
            return state
        }
        guard let ended else { return }
        logger.notice("the shared queue is reachable again", metadata: [
            "queue": "\(queue)", "unreachable for": "\(((ContinuousClock.now - ended.since).seconds * 10).rounded() / 10) s",
            "failed or waiting calls": "\(ended.failures)",
        ])
    }
}

/// A call to the queue that was given up after `waited`, its caller doing without the answer.
struct QueueNoAnswer: Error, CustomStringConvertible {
    var waited: Duration
    var description: String { "the shared queue did not answer within \(waited.seconds) s" }
}

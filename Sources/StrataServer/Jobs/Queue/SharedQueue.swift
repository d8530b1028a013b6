import Foundation
import Logging
import PostgresNIO

/// A connection pool to the shared PostgreSQL queue, running, with the queue's tables migrated.
final class SharedQueue: Sendable {
    let queue: PostgresJobQueue
    let location: PostgresLocation
    private let pool: Task<Void, Never>

    private init(queue: PostgresJobQueue, location: PostgresLocation, pool: Task<Void, Never>) {
        self.queue = queue
        self.location = location
        self.pool = pool
    }

    /// Connects and migrates, waiting up to `patience` for a queue that is (re)starting; throws a one-line reason.
    static func open(url: String, logger: Logger, patience: Duration = .seconds(60)) async throws -> SharedQueue {
        let location = try PostgresLocation(url: url)
        // The pool logs each failed attempt to connect (at info); QueueReachability tells an outage once instead.
        var poolLogger = logger
        if poolLogger.logLevel > .debug { poolLogger.logLevel = max(poolLogger.logLevel, .notice) }
        let client = PostgresClient(configuration: location.configuration, backgroundLogger: poolLogger)
        let pool = Task { await client.run() }
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                let applied = try await PostgresSchema.migrate(client, logger: logger)
                if !applied.isEmpty { logger.notice("queue tables migrated", metadata: ["versions": "\(applied)"]) }
                logger.info("using the shared queue", metadata: ["queue": "\(location.description)"])
                var queue = PostgresJobQueue(client: client, logger: logger)
                queue.reachability = QueueReachability(queue: location.description, logger: logger)
                return SharedQueue(queue: queue, location: location, pool: pool)
            } catch where ContinuousClock.now < deadline {
                logger.warning("the shared queue cannot be reached yet; retrying",
                               metadata: ["queue": "\(location.description)", "error": "\(String(reflecting: error))"])
                try await Task.sleep(for: .seconds(1))
            } catch {
                pool.cancel()
                throw QueueSetupError("cannot reach the queue at \(location.description): \(String(reflecting: error))")
            }
        }
    }

    /// Closes the pool's connections.
    func close() { pool.cancel() }
}

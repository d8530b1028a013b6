import Foundation
import Logging
import PostgresNIO

/// A connection pool to the shared PostgreSQL database (`--database postgres://…`), running, with its tables
/// migrated: the workers' queue, and the API servers' assets, jobs, uploads, playback policies and webhooks.
final class SharedDatabase: Sendable {
    let client: PostgresClient
    /// The workers' units.
    let queue: PostgresJobQueue
    let location: PostgresLocation
    private let pool: Task<Void, Never>

    private init(client: PostgresClient, queue: PostgresJobQueue, location: PostgresLocation, pool: Task<Void, Never>) {
        self.client = client
        self.queue = queue
        self.location = location
        self.pool = pool
    }

    /// The API servers' records of assets, sidecars and jobs.
    func assets(logger: Logger) -> PostgresAssetStore { PostgresAssetStore(client: client, jobs: jobs, logger: logger) }

    /// The API servers' jobs, claimed under a lease; a job's failure is recorded on its asset and final.
    var jobs: PostgresJobQueue {
        var jobs = queue
        jobs.table = .jobs
        jobs.maxAttempts = PostgresAssetStore.jobAttempts
        jobs.failuresAreFinal = true
        return jobs
    }

    /// Connects and migrates, waiting up to `patience` for a queue that is (re)starting; throws a one-line reason.
    static func open(url: String, logger: Logger, patience: Duration = .seconds(60)) async throws -> SharedDatabase {
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
                if !applied.isEmpty { logger.notice("database tables migrated", metadata: ["versions": "\(applied)"]) }
                logger.info("using the shared database", metadata: ["database": "\(location.description)"])
                var queue = PostgresJobQueue(client: client, logger: logger)
                queue.reachability = QueueReachability(queue: location.description, logger: logger)
                return SharedDatabase(client: client, queue: queue, location: location, pool: pool)
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

import Foundation
import Logging
import PostgresNIO

/// The shared queue: units are rows of a PostgreSQL database that `strata serve` and every `strata worker` reach.
///
/// A claim takes the oldest ready unit with `SELECT … FOR UPDATE SKIP LOCKED`, so claimers never wait on each other
/// nor get the same unit, and holds it under a lease its worker renews. A unit whose lease ran out is claimable
/// again; a failed attempt is retried after a backoff that doubles, and the unit fails for good with the last reason
/// once `maxAttempts` attempts are spent. Every attempt is recorded with its worker, start and end.
struct PostgresJobQueue: JobQueue {
    let client: PostgresClient
    let logger: Logger
    /// Attempts (failures or lost leases) before a unit fails for good.
    var maxAttempts = 3
    /// The wait before the first retry; each next one doubles, up to `retryCap`.
    var retryBase: Duration = .seconds(5)
    var retryCap: Duration = .seconds(600)
    /// Told how each call went, to log an outage once and its end once; nil logs nothing.
    var reachability: QueueReachability?
    /// Whose units these are: the workers' (`strata_unit`) or the API servers' jobs (`strata_job`).
    var table = QueueTables.units
    /// When true a failed attempt fails the unit at once: an API server's job records its outcome on the asset, and
    /// running it again would not change it. Lost leases are still retried.
    var failuresAreFinal = false

    /// Queues a unit; `order` is the `WorkOrder` JSON a worker runs it from. Returns its id: the existing unit's
    /// when `source` (e.g. the API server's job) queued one before, so a server restarted mid-job queues nothing twice.
    func enqueue(_ kind: JobKind, asset: String, order: String, source: String? = nil) async throws -> Int64 {
        try await watched("queuing a unit for asset \(asset)") { try await insert(kind, asset: asset, order: order, source: source) }
    }

    private func insert(_ kind: JobKind, asset: String, order: String, source: String?) async throws -> Int64 {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: table.units) (asset_id, kind, work_order, max_attempts, source)
            VALUES (\(asset), \(kind.rawValue), \(order), \(maxAttempts), \(source))
            ON CONFLICT (source) DO UPDATE SET source = EXCLUDED.source RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw QueueSetupError("the queue did not return the new unit's id")
    }

    func requeueExpired() async throws -> Int {
        try await watched("requeuing units whose lease ran out") { try await requeueExpiredUnits() }
    }

    private func requeueExpiredUnits() async throws -> Int {
        let rows = try await client.query("""
            WITH expired AS (
                SELECT id FROM \(unescaped: table.units) WHERE state = 'running' AND lease_until < now() FOR UPDATE SKIP LOCKED
            ), closed AS (
                UPDATE \(unescaped: table.attempts) a SET ended_at = u.lease_until, outcome = 'lease expired'
                FROM \(unescaped: table.units) u JOIN expired e ON u.id = e.id
                WHERE a.unit_id = u.id AND a.attempt = u.attempts AND a.ended_at IS NULL
            )
            UPDATE \(unescaped: table.units) u SET
                state = CASE WHEN u.attempts >= u.max_attempts THEN 'failed' ELSE 'queued' END,
                error = CASE WHEN u.attempts >= u.max_attempts
                    THEN 'its worker stopped renewing the lease ' || u.attempts || ' times (last: ' || u.worker || ')'
                    ELSE u.error END,
                lease_until = NULL, available_at = now(), updated_at = now()
            FROM expired e WHERE u.id = e.id
            RETURNING u.id
            """, logger: logger)
        return try await rows.collect().count
    }

    func claim(worker: String, lease: Duration) async throws -> ClaimedUnit? {
        try await watched("claiming a unit") {
            _ = try await requeueExpiredUnits()
            return try await claimNext(worker: worker, lease: lease)
        }
    }

    private func claimNext(worker: String, lease: Duration) async throws -> ClaimedUnit? {
        let sent = ContinuousClock.now
        let rows = try await client.query("""
            WITH next AS (
                SELECT id FROM \(unescaped: table.units) WHERE state = 'queued' AND available_at <= now()
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE \(unescaped: table.units) u SET state = 'running', attempts = u.attempts + 1, worker = \(worker),
                    lease_until = now() + make_interval(secs => \(lease.seconds)), updated_at = now()
                FROM next WHERE u.id = next.id
                RETURNING u.id, u.asset_id, u.kind, u.attempts, u.work_order
            ), attempt AS (
                INSERT INTO \(unescaped: table.attempts) (unit_id, attempt, worker, started_at)
                SELECT id, attempts, \(worker), now() FROM claimed
            )
            SELECT id, asset_id, kind, attempts, work_order FROM claimed
            """, logger: logger)
        for try await (id, asset, kind, attempt, order) in rows.decode((Int64, String, String, Int, String).self) {
            guard let kind = JobKind(rawValue: kind) else { throw QueueSetupError("unit \(id) has an unknown kind '\(kind)'") }
            return ClaimedUnit(id: id, assetID: asset, kind: kind, attempt: attempt, worker: worker, order: order, claimedAt: sent)
        }
        return nil
    }

    func heartbeat(_ unit: ClaimedUnit, lease: Duration, progress: UnitProgress) async throws -> Bool {
        try await watched("renewing the lease of unit \(unit.id)") { try await renew(unit, lease: lease, progress: progress) }
    }

    private func renew(_ unit: ClaimedUnit, lease: Duration, progress: UnitProgress) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE \(unescaped: table.units) SET lease_until = now() + make_interval(secs => \(lease.seconds)),
                progress = \(progress.fraction), playable_seconds = GREATEST(playable_seconds, \(progress.playableSeconds)),
                updated_at = now()
            WHERE id = \(unit.id) AND state = 'running' AND worker = \(unit.worker) AND attempts = \(unit.attempt)
            RETURNING id
            """, logger: logger)
        return try await !rows.collect().isEmpty
    }

    func complete(_ unit: ClaimedUnit, result: String?) async throws {
        try await end(unit, outcome: "done", error: nil, """
            UPDATE \(unescaped: table.units) SET state = 'done', result = \(result), progress = 1, lease_until = NULL, updated_at = now()
            WHERE id = \(unit.id) AND state = 'running' AND worker = \(unit.worker) AND attempts = \(unit.attempt) RETURNING id
            """)
    }

    func fail(_ unit: ClaimedUnit, reason: String) async throws {
        try await end(unit, outcome: "failed", error: reason, """
            UPDATE \(unescaped: table.units) SET
                state = CASE WHEN \(failuresAreFinal) OR attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                error = \(reason), lease_until = NULL, updated_at = now(),
                available_at = now() + make_interval(secs => LEAST(\(retryBase.seconds) * power(2, attempts - 1), \(retryCap.seconds)))
            WHERE id = \(unit.id) AND state = 'running' AND worker = \(unit.worker) AND attempts = \(unit.attempt) RETURNING id
            """)
    }

    func release(_ unit: ClaimedUnit) async throws {
        try await end(unit, outcome: "released", error: nil, """
            UPDATE \(unescaped: table.units) SET state = 'queued', attempts = attempts - 1, lease_until = NULL, available_at = now(), updated_at = now()
            WHERE id = \(unit.id) AND state = 'running' AND worker = \(unit.worker) AND attempts = \(unit.attempt) RETURNING id
            """)
    }

    /// Fails the unit `source` queued and the steps queued under it (`source/…`, a chunked job's), wherever they are
    /// (a holder's next heartbeat is refused, which stops it).
    func abandon(source: String, reason: String) async throws {
        _ = try await watched("failing the units of a deleted asset") {
            try await client.query("""
                UPDATE \(unescaped: table.units) SET state = 'failed', error = \(reason), lease_until = NULL, updated_at = now()
                WHERE (source = \(source) OR starts_with(source, \(source + "/"))) AND state IN ('queued', 'running')
                """, logger: logger)
        }
    }

    /// Runs `change` (which returns the unit's id when this holder still held it) and closes the attempt, in one
    /// transaction. A holder whose lease was taken over changes nothing: its late result is not applied twice.
    private func end(_ unit: ClaimedUnit, outcome: String, error: String?, _ change: PostgresQuery) async throws {
        let held = try await watched("recording unit \(unit.id) as \(outcome)") {
            try await apply(change, closing: unit, outcome: outcome, error: error)
        }
        guard !held else { return }
        let metadata: Logger.Metadata = ["unit": "\(unit.id)", "worker": "\(unit.worker)", "outcome": "\(outcome)"]
        if try await watched("reading unit \(unit.id)'s attempt", { try await recordedOutcome(of: unit) }) == outcome {
            // A retry after the connection was lost between the commit and its reply: the first try was applied.
            return logger.info("the unit's end was already recorded", metadata: metadata)
        }
        logger.warning("a unit's lease had passed to another worker; this attempt's end is dropped", metadata: metadata)
    }

    /// Applies `change` and closes the holder's attempt in one transaction; false when the unit was not the holder's.
    private func apply(_ change: PostgresQuery, closing unit: ClaimedUnit, outcome: String, error: String?) async throws -> Bool {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let changed = try await connection.query(change, logger: logger).collect().count
            guard changed > 0 else { return false }
            try await connection.query("""
                UPDATE \(unescaped: table.attempts) SET ended_at = now(), outcome = \(outcome), error = \(error)
                WHERE unit_id = \(unit.id) AND attempt = \(unit.attempt) AND ended_at IS NULL
                """, logger: logger)
            return true
        }
    }

    /// How the holder's own attempt ended, as recorded; nil while it is open.
    private func recordedOutcome(of unit: ClaimedUnit) async throws -> String? {
        let rows = try await client.query("""
            SELECT outcome FROM \(unescaped: table.attempts) WHERE unit_id = \(unit.id) AND attempt = \(unit.attempt) AND worker = \(unit.worker)
            ORDER BY id DESC LIMIT 1
            """, logger: logger)
        for try await outcome in rows.decode(String?.self) { return outcome }
        return nil
    }

    var reportsOutages: Bool { reachability != nil }

    /// Runs one call to the database, telling `reachability` whether it answered.
    func watched<Value>(_ what: String, _ call: () async throws -> Value) async throws -> Value {
        guard let reachability else { return try await call() }
        return try await reachability.watch(what, call)
    }
}

/// The two tables of one shape that hold units: the workers' and the API servers' jobs.
struct QueueTables: Sendable {
    var units: String
    var attempts: String

    /// Units run by `strata worker` processes (and servers with `--workers`).
    static let units = QueueTables(units: "strata_unit", attempts: "strata_unit_attempt")
    /// Jobs of API servers sharing one database: each follows its units and records the outcome on the asset.
    static let jobs = QueueTables(units: "strata_job", attempts: "strata_job_attempt")
}

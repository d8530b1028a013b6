import Foundation
import PostgresNIO

/// A unit as the queue records it, for the server that waits on it and for `GET /v1/assets/{id}`.
struct UnitStatus: Sendable, Equatable {
    var id: Int64
    var assetID: String
    var kind: String
    /// queued, running, done or failed.
    var state: String
    var attempts: Int
    /// The worker that holds it, or last held it.
    var worker: String?
    var progress: Double
    var playableSeconds: Double
    var result: String?
    var error: String?
}

/// One attempt at a unit: who ran it, when, and how it ended (nil while it runs).
struct UnitAttempt: Sendable, Equatable {
    var attempt: Int
    var worker: String
    var startedAt: Date
    var endedAt: Date?
    /// done, failed, released or lease expired.
    var outcome: String?
    var error: String?
}

extension PostgresJobQueue {
    func unit(_ id: Int64) async throws -> UnitStatus? {
        try await units(ids: [id])[id]
    }

    /// The units with these ids, by id, in one query; a unit no longer in the queue is absent.
    func units(ids: [Int64]) async throws -> [Int64: UnitStatus] {
        guard !ids.isEmpty else { return [:] }
        return try await watched("reading units \(ids.map(String.init).joined(separator: ", "))") { try await readUnits(ids) }
    }

    /// The asset's units, oldest first, with their last attempt's worker and seconds. Gives up after `patience`:
    /// `GET /v1/assets/{id}` shows the asset without them rather than wait for a queue that is down.
    func units(ofAsset asset: String, patience: Duration = .seconds(2)) async throws -> [WorkUnitSummary] {
        let queue = self
        return try await withThrowingTaskGroup(of: [WorkUnitSummary]?.self) { group in
            group.addTask { try await queue.watched("reading asset \(asset)'s units") { try await queue.readUnits(ofAsset: asset) } }
            group.addTask {
                try await Task.sleep(for: patience)
                return nil
            }
            defer { group.cancelAll() }
            guard let units = try await group.next() ?? nil else { throw QueueNoAnswer(waited: patience) }
            return units
        }
    }

    private func readUnits(_ ids: [Int64]) async throws -> [Int64: UnitStatus] {
        let rows = try await client.query("""
            SELECT id, asset_id, kind, state, attempts, worker, progress, playable_seconds, result, error
            FROM \(unescaped: table.units) WHERE id = ANY(\(ids))
            """, logger: logger)
        var units: [Int64: UnitStatus] = [:]
        for try await row in rows.decode((Int64, String, String, String, Int, String?, Double, Double, String?, String?).self) {
            units[row.0] = UnitStatus(id: row.0, assetID: row.1, kind: row.2, state: row.3, attempts: row.4, worker: row.5,
                                      progress: row.6, playableSeconds: row.7, result: row.8, error: row.9)
        }
        return units
    }

    private func readUnits(ofAsset asset: String) async throws -> [WorkUnitSummary] {
        let rows = try await client.query("""
            SELECT u.kind, u.worker, u.attempts, u.state,
                (SELECT extract(epoch FROM COALESCE(a.ended_at, now()) - a.started_at)::float8 FROM \(unescaped: table.attempts) a
                 WHERE a.unit_id = u.id ORDER BY a.id DESC LIMIT 1),
                (u.work_order::json ->> 'chunk')::int
            FROM \(unescaped: table.units) u WHERE u.asset_id = \(asset) ORDER BY u.id
            """, logger: logger)
        var units: [WorkUnitSummary] = []
        for try await row in rows.decode((String, String?, Int, String, Double?, Int?).self) {
            units.append(WorkUnitSummary(kind: row.0, chunk: row.5, worker: row.1, attempts: row.2,
                                         seconds: row.4.map { ($0 * 1000).rounded() / 1000 }, state: row.3))
        }
        return units
    }

    /// The unit's attempts, oldest first.
    func attempts(of unitID: Int64) async throws -> [UnitAttempt] {
        let rows = try await client.query("""
            SELECT attempt, worker, started_at, ended_at, outcome, error FROM \(unescaped: table.attempts)
            WHERE unit_id = \(unitID) ORDER BY id
            """, logger: logger)
        var attempts: [UnitAttempt] = []
        for try await row in rows.decode((Int, String, Date, Date?, String?, String?).self) {
            attempts.append(UnitAttempt(attempt: row.0, worker: row.1, startedAt: row.2, endedAt: row.3, outcome: row.4, error: row.5))
        }
        return attempts
    }
}

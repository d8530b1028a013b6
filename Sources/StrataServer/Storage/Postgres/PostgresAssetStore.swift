import Foundation
import Logging
import PostgresNIO
import StrataMedia
import StrataProfiles

/// Assets, sidecars and the API servers' jobs in a PostgreSQL database that several API servers and workers share
/// (`--database postgres://…`), each operation one transaction. Jobs are rows of `strata_job`, which the servers'
/// job runners claim like workers claim units (`PostgresJobQueue` over `QueueTables.jobs`).
struct PostgresAssetStore: AssetStore {
    let client: PostgresClient
    /// The API servers' jobs (`SharedDatabase.jobs`), for their summaries.
    let jobs: PostgresJobQueue
    let logger: Logger
    /// How many times a job is claimed again after its API server stopped renewing it, before it fails.
    static let jobAttempts = 10

    /// The columns an `AssetRecord` is read from, in `record(from:)`'s order.
    private static let assetColumns = """
        id, title, profile_name, profile_json, status, progress, error_code, error_message, published, package_version,
        master_size, facts_json, created_at, updated_at, playable_seconds
        """
    private static let sidecarColumns = "id, asset_id, kind, language, variant, file_name, state, error_message, created_at"

    func createAsset(id: String, title: String?, profile: EncodingProfile, masterSize: Int, problem: TranscodeError?) async throws -> AssetRecord {
        let now = Date()
        let asset = AssetRecord(
            id: id, title: title, profileName: profile.name, profileJSON: String(decoding: try JSONEncoder().encode(profile), as: UTF8.self),
            status: problem == nil ? .queued : .failed, progress: 0, errorCode: problem?.code.rawValue, errorMessage: problem?.message,
            published: false, packageVersion: 0, masterSize: masterSize, factsJSON: nil, createdAt: now, updatedAt: now)
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO strata_asset (\(unescaped: Self.assetColumns)) VALUES (
                    \(asset.id), \(asset.title), \(asset.profileName), \(asset.profileJSON), \(asset.status.rawValue), \(asset.progress),
                    \(asset.errorCode), \(asset.errorMessage), \(asset.published), \(asset.packageVersion), \(asset.masterSize),
                    \(asset.factsJSON), \(asset.createdAt), \(asset.updatedAt), \(asset.playableSeconds))
                """, logger: logger)
            if problem == nil { try await Self.enqueue(.transcode, for: id, on: connection, logger: logger) }
        }
        return asset
    }

    func asset(_ id: String) async throws -> AssetRecord? {
        try await client.query("SELECT \(unescaped: Self.assetColumns) FROM strata_asset WHERE id = \(id)", logger: logger)
            .collect().first.map(Self.asset(from:))
    }

    func assets() async throws -> [AssetRecord] {
        try await client.query("SELECT \(unescaped: Self.assetColumns) FROM strata_asset ORDER BY created_at DESC, id", logger: logger)
            .collect().map(Self.asset(from:))
    }

    func sidecars(of id: String) async throws -> [SidecarRecord] {
        try await client.query("SELECT \(unescaped: Self.sidecarColumns) FROM strata_sidecar WHERE asset_id = \(id) ORDER BY id", logger: logger)
            .collect().map(Self.sidecar(from:))
    }

    func addSidecar(_ sidecar: SidecarRecord) async throws -> SidecarRecord {
        try await client.withTransaction(logger: logger) { connection in
            var record = sidecar
            let rows = try await connection.query("""
                INSERT INTO strata_sidecar (asset_id, kind, language, variant, file_name, state, error_message, created_at)
                VALUES (\(sidecar.assetID), \(sidecar.kind.rawValue), \(sidecar.language), \(sidecar.variant), \(sidecar.fileName),
                        \(sidecar.state.rawValue), \(sidecar.errorMessage), \(sidecar.createdAt))
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { record.id = id }
            try await Self.enqueueRepackage(of: sidecar.assetID, when: .ready, on: connection, logger: logger)
            return record
        }
    }

    func setPublished(_ id: String, _ published: Bool) async throws -> AssetRecord? {
        try await updateAsset(id) { $0.published = published }
    }

    func delete(_ id: String) async throws -> Bool {
        try await !client.query("DELETE FROM strata_asset WHERE id = \(id) RETURNING id", logger: logger).collect().isEmpty
    }

    func jobCounts() async throws -> [JobState: Int] {
        var counts: [JobState: Int] = [:]
        for try await (state, count) in try await client.query("SELECT state, COUNT(*)::bigint FROM strata_job GROUP BY state", logger: logger)
            .decode((String, Int).self) {
            if let state = JobState(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    func jobSummaries(of asset: String) async throws -> [WorkUnitSummary] {
        try await jobs.units(ofAsset: asset)
    }

    @discardableResult
    func updateAsset(_ id: String, _ change: @escaping @Sendable (inout AssetRecord) -> Void) async throws -> AssetRecord? {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query("SELECT \(unescaped: Self.assetColumns) FROM strata_asset WHERE id = \(id) FOR UPDATE",
                                                  logger: logger).collect()
            guard var asset = try rows.first.map(Self.asset(from:)) else { return nil }
            change(&asset)
            asset.updatedAt = Date()
            try await connection.query("""
                UPDATE strata_asset SET title = \(asset.title), status = \(asset.status.rawValue), progress = \(asset.progress),
                    error_code = \(asset.errorCode), error_message = \(asset.errorMessage), published = \(asset.published),
                    package_version = \(asset.packageVersion), facts_json = \(asset.factsJSON), updated_at = \(asset.updatedAt),
                    playable_seconds = \(asset.playableSeconds)
                WHERE id = \(id)
                """, logger: logger)
            return asset
        }
    }

    func pendingSidecars(of id: String) async throws -> [SidecarRecord] {
        try await client.query("""
            SELECT \(unescaped: Self.sidecarColumns) FROM strata_sidecar WHERE asset_id = \(id) AND state = 'pending' ORDER BY id
            """, logger: logger).collect().map(Self.sidecar(from:))
    }

    func markSidecars(_ ids: [Int64], state: SidecarState, error: String?) async throws {
        guard !ids.isEmpty else { return }
        try await client.query("UPDATE strata_sidecar SET state = \(state.rawValue), error_message = \(error) WHERE id = ANY(\(ids))",
                               logger: logger)
    }

    func enqueueRepackageIfPending(for id: String) async throws {
        try await client.withConnection { connection in
            try await Self.enqueueRepackage(of: id, when: .sidecarsPending, on: connection, logger: logger)
        }
    }

    // MARK: Rows

    /// When a repackage is due: the asset is ready (a sidecar just added to it is packaged by one), or sidecars
    /// are waiting (added while it was transcoding).
    private enum RepackageDue {
        case ready, sidecarsPending

        /// The condition on the asset's row `a`.
        var condition: String {
            switch self {
            case .ready: "a.status = 'ready'"
            case .sidecarsPending: "EXISTS (SELECT 1 FROM strata_sidecar s WHERE s.asset_id = a.id AND s.state = 'pending')"
            }
        }
    }

    /// Queues a repackage of `asset` when it is `due`, unless one is already waiting (that one will take every
    /// pending sidecar).
    private static func enqueueRepackage(of asset: String, when due: RepackageDue, on connection: PostgresConnection,
                                         logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO strata_job (asset_id, kind, work_order, max_attempts)
            SELECT a.id, 'repackage', '', \(jobAttempts) FROM strata_asset a WHERE a.id = \(asset) AND \(unescaped: due.condition)
            AND NOT EXISTS (SELECT 1 FROM strata_job j WHERE j.asset_id = a.id AND j.kind = 'repackage' AND j.state = 'queued')
            """, logger: logger)
    }

    private static func enqueue(_ kind: JobKind, for asset: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO strata_job (asset_id, kind, work_order, max_attempts) VALUES (\(asset), \(kind.rawValue), '', \(jobAttempts))
            """, logger: logger)
    }

    private static func asset(from row: PostgresRow) throws -> AssetRecord {
        let (id, title, profileName, profileJSON, status, progress, errorCode, errorMessage, published, packageVersion,
             masterSize, factsJSON, createdAt, updatedAt, playableSeconds) = try row.decode(
            (String, String?, String, String, String, Double, String?, String?, Bool, Int, Int, String?, Date, Date, Double).self)
        guard let status = AssetStatus(rawValue: status) else { throw QueueSetupError("asset \(id) has an unknown status '\(status)'") }
        return AssetRecord(id: id, title: title, profileName: profileName, profileJSON: profileJSON, status: status, progress: progress,
                           errorCode: errorCode, errorMessage: errorMessage, published: published, packageVersion: packageVersion,
                           masterSize: masterSize, factsJSON: factsJSON, createdAt: createdAt, updatedAt: updatedAt,
                           playableSeconds: playableSeconds)
    }

    private static func sidecar(from row: PostgresRow) throws -> SidecarRecord {
        let (id, assetID, kind, language, variant, fileName, state, errorMessage, createdAt) = try row.decode(
            (Int64, String, String, String, String, String, String, String?, Date).self)
        guard let kind = SidecarKind(rawValue: kind), let state = SidecarState(rawValue: state) else {
            throw QueueSetupError("sidecar \(id) has an unknown kind or state")
        }
        return SidecarRecord(id: id, assetID: assetID, kind: kind, language: language, variant: variant, fileName: fileName,
                             state: state, errorMessage: errorMessage, createdAt: createdAt)
    }
}

import Foundation
import GRDB
import StrataManifest
import StrataMedia
import StrataProfiles

/// Assets, sidecars and jobs in the server's embedded SQLite database (GRDB), each operation one transaction.
struct SQLiteAssetStore: AssetStore {
    let database: ServerDatabase

    func createAsset(id: String, title: String?, profile: EncodingProfile, masterSize: Int, problem: TranscodeError?) async throws -> AssetRecord {
        let now = Date()
        let profileJSON = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        let asset = AssetRecord(
            id: id, title: title, profileName: profile.name, profileJSON: profileJSON,
            status: problem == nil ? .queued : .failed, progress: 0, errorCode: problem?.code.rawValue,
            errorMessage: problem?.message, published: false, packageVersion: 0, masterSize: masterSize,
            factsJSON: nil, createdAt: now, updatedAt: now)
        try await database.queue.write { db in
            try asset.insert(db)
            if problem == nil { try SQLiteAssetStore.enqueue(.transcode, for: id, in: db) }
        }
        return asset
    }

    func asset(_ id: String) async throws -> AssetRecord? {
        try await database.queue.read { db in try AssetRecord.fetchOne(db, key: id) }
    }

    func assets() async throws -> [AssetRecord] {
        try await database.queue.read { db in try AssetRecord.order(Column("createdAt").desc).fetchAll(db) }
    }

    func sidecars(of id: String) async throws -> [SidecarRecord] {
        try await database.queue.read { db in
            try SidecarRecord.filter(Column("assetID") == id).order(Column("id")).fetchAll(db)
        }
    }

    func addSidecar(_ sidecar: SidecarRecord) async throws -> SidecarRecord {
        try await database.queue.write { db in
            var record = sidecar
            try record.insert(db)
            if let asset = try AssetRecord.fetchOne(db, key: sidecar.assetID), asset.status == .ready {
                try SQLiteAssetStore.enqueueRepackageIfNone(for: asset.id, in: db)
            }
            return record
        }
    }

    func setPublished(_ id: String, _ published: Bool) async throws -> AssetRecord? {
        try await database.queue.write { db in
            guard var asset = try AssetRecord.fetchOne(db, key: id) else { return nil }
            asset.published = published
            asset.updatedAt = Date()
            try asset.update(db)
            return asset
        }
    }

    func delete(_ id: String) async throws -> Bool {
        try await database.queue.write { db in try AssetRecord.deleteOne(db, key: id) }
    }

    func jobCounts() async throws -> [JobState: Int] {
        try await database.queue.read { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    // MARK: Jobs

    static func enqueue(_ kind: JobKind, for asset: String, in db: Database) throws {
        var job = JobRecord(id: nil, assetID: asset, kind: kind, state: .queued, attempts: 0, createdAt: Date())
        try job.insert(db)
    }

    static func enqueueRepackageIfNone(for asset: String, in db: Database) throws {
        let waiting = try JobRecord.filter(Column("assetID") == asset && Column("kind") == JobKind.repackage.rawValue
                                           && Column("state") == JobState.queued.rawValue).fetchCount(db)
        if waiting == 0 { try enqueue(.repackage, for: asset, in: db) }
    }

    /// Takes the oldest queued job and marks it running.
    func claimNextJob() throws -> JobRecord? {
        try database.queue.write { db in
            guard var job = try JobRecord.filter(Column("state") == JobState.queued.rawValue).order(Column("id")).fetchOne(db) else {
                return nil
            }
            job.state = .running
            job.attempts += 1
            job.startedAt = Date()
            try job.update(db)
            return job
        }
    }

    /// After a crash or kill -9: every job that was running is queued again, and so is its asset.
    func requeueInterruptedJobs() throws -> Int {
        try database.queue.write { db in
            try db.execute(sql: "UPDATE asset SET status = 'queued', progress = 0 WHERE status = 'processing'")
            try db.execute(sql: "UPDATE job SET state = 'queued' WHERE state = 'running'")
            return db.changesCount
        }
    }

    func finish(jobID: Int64, state: JobState) throws {
        try database.queue.write { db in
            guard var finished = try JobRecord.fetchOne(db, key: jobID) else { return }
            finished.state = state
            finished.finishedAt = Date()
            try finished.update(db)
        }
    }

    /// Puts a job back in the queue (it was interrupted by a shutdown, not by a problem with its input).
    func requeue(jobID: Int64) throws {
        try database.queue.write { db in
            guard var waiting = try JobRecord.fetchOne(db, key: jobID) else { return }
            waiting.state = .queued
            try waiting.update(db)
        }
    }

    func jobSummaries(of asset: String) async throws -> [WorkUnitSummary] {
        try await database.queue.read { db in
            try JobRecord.filter(Column("assetID") == asset).order(Column("id")).fetchAll(db).map { job in
                let seconds = job.startedAt.map { ((job.finishedAt ?? Date()).timeIntervalSince($0) * 1000).rounded() / 1000 }
                return WorkUnitSummary(kind: job.kind.rawValue, worker: nil, attempts: job.attempts, seconds: seconds, state: job.state.rawValue)
            }
        }
    }

    /// The job's state; nil once it is gone (its asset was deleted).
    func jobState(_ jobID: Int64) throws -> JobState? {
        try database.queue.read { db in try JobRecord.fetchOne(db, key: jobID)?.state }
    }

    func updateAsset(_ id: String, _ change: @escaping @Sendable (inout AssetRecord) -> Void) async throws -> AssetRecord? {
        try await database.queue.write { db in
            guard var asset = try AssetRecord.fetchOne(db, key: id) else { return nil }
            change(&asset)
            asset.updatedAt = Date()
            try asset.update(db)
            return asset
        }
    }

    func pendingSidecars(of id: String) async throws -> [SidecarRecord] {
        try await database.queue.read { db in
            try SidecarRecord.filter(Column("assetID") == id && Column("state") == SidecarState.pending.rawValue).order(Column("id")).fetchAll(db)
        }
    }

    func markSidecars(_ ids: [Int64], state: SidecarState, error: String?) async throws {
        guard !ids.isEmpty else { return }
        try await database.queue.write { db in
            for id in ids {
                guard var sidecar = try SidecarRecord.fetchOne(db, key: id) else { continue }
                sidecar.state = state
                sidecar.errorMessage = error
                try sidecar.update(db)
            }
        }
    }

    func enqueueRepackageIfPending(for id: String) async throws {
        try await database.queue.write { db in
            let pending = try SidecarRecord.filter(Column("assetID") == id && Column("state") == SidecarState.pending.rawValue).fetchCount(db)
            if pending > 0 { try SQLiteAssetStore.enqueueRepackageIfNone(for: id, in: db) }
        }
    }
}

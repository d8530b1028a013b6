import Foundation
import GRDB
@testable import StrataServer
import Testing
import TestSupport

/// `asset.playable` in-process, on a real database: the trigger fires once per asset, whatever the asset goes through.
@Suite("asset.playable event")
struct PlayableEventTests {
    func database() throws -> ServerDatabase {
        try ServerDatabase(path: try makeTemporaryDirectory("playable-event").appendingPathComponent("strata.sqlite").path)
    }

    func insert(_ id: String, into database: ServerDatabase) throws {
        let now = Date()
        let asset = AssetRecord(id: id, title: "t", profileName: "default", profileJSON: "{}", status: .queued, progress: 0,
                                errorCode: nil, errorMessage: nil, published: false, packageVersion: 0, masterSize: 1,
                                factsJSON: nil, createdAt: now, updatedAt: now)
        try database.queue.write { db in try asset.insert(db) }
    }

    func update(_ id: String, in database: ServerDatabase, _ change: (inout AssetRecord) -> Void) throws {
        try database.queue.write { db in
            var asset = try #require(try AssetRecord.fetchOne(db, key: id))
            change(&asset)
            try asset.update(db)
        }
    }

    /// The recorded events' types for `id`, oldest first.
    func events(_ id: String, in database: ServerDatabase) throws -> [String] {
        try database.queue.read { db in
            try String.fetchAll(db, sql: "SELECT type FROM asset_event WHERE json_extract(data, '$.id') = ? ORDER BY id", arguments: [id])
        }
    }

    @Test("first listed segments: once, through progress, a restart (queued again), more segments and ready")
    func whileTranscoding() throws {
        let database = try database()
        try insert("a1", into: database)
        try update("a1", in: database) { $0.status = .processing }
        try update("a1", in: database) { $0.progress = 0.05 }
        #expect(!(try events("a1", in: database)).contains("asset.playable"), "nothing listed yet")
        try update("a1", in: database) { $0.playableSeconds = 2; $0.packageVersion = 1 }
        try update("a1", in: database) { $0.playableSeconds = 6 }
        try update("a1", in: database) { $0.status = .queued }  // kill -9 and restart: queued again, segments kept
        try update("a1", in: database) { $0.status = .processing; $0.playableSeconds = 8 }
        try update("a1", in: database) { $0.status = .ready; $0.progress = 1 }
        try update("a1", in: database) { $0.packageVersion = 2 }  // repackaged
        let types = try events("a1", in: database).filter { $0 != "asset.progress" }
        #expect(types == ["asset.created", "asset.playable", "asset.ready"], "\(types)")
    }

    @Test("a package complete before any segment was listed: playable comes in the same change as ready, first")
    func atOnce() throws {
        let database = try database()
        try insert("a2", into: database)
        try update("a2", in: database) { $0.status = .processing }
        try update("a2", in: database) { $0.status = .ready; $0.packageVersion = 1; $0.progress = 1 }
        #expect(try events("a2", in: database).filter { $0 != "asset.progress" } == ["asset.created", "asset.playable", "asset.ready"])
    }

    @Test("a failed asset and one that never gets a package are never playable")
    func never() throws {
        let database = try database()
        try insert("a3", into: database)
        try update("a3", in: database) { $0.status = .processing; $0.playableSeconds = 4 }  // no package version yet
        try update("a3", in: database) { $0.status = .failed; $0.packageVersion = 1 }
        #expect(try events("a3", in: database) == ["asset.created", "asset.failed"])
    }
}

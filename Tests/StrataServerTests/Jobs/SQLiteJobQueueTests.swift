import Foundation
import GRDB
@testable import StrataServer
import StrataProfiles
import Testing
import TestSupport

/// The embedded queue in-process, on a real SQLite database: claim order, ends, shutdown and crash recovery.
@Suite("embedded SQLite job queue")
struct SQLiteJobQueueTests {
    func store() throws -> SQLiteAssetStore {
        let root = try makeTemporaryDirectory("sqlite-queue")
        let files = try AssetFiles(root: root)
        return SQLiteAssetStore(database: try ServerDatabase(path: files.database.path))
    }

    func addAsset(_ id: String, to store: SQLiteAssetStore) async throws {
        _ = try await store.createAsset(id: id, title: nil, profile: try ProfileLibrary(directory: repositoryRoot.appendingPathComponent("Profiles")).load(named: "default"), masterSize: 1, problem: nil)
    }

    @Test("jobs are claimed oldest first, once each; done and failed jobs are not claimed again")
    func claimOrder() async throws {
        let store = try store()
        let queue = SQLiteJobQueue(store: store)
        try await addAsset("first", to: store)
        try await addAsset("second", to: store)
        let one = try #require(try await queue.claim(worker: "w1", lease: .seconds(60)))
        let two = try #require(try await queue.claim(worker: "w2", lease: .seconds(60)))
        #expect(one.assetID == "first" && two.assetID == "second")
        #expect(one.kind == .transcode && one.attempt == 1 && one.worker == "w1")
        #expect(try await queue.claim(worker: "w3", lease: .seconds(60)) == nil)
        #expect(try await queue.heartbeat(one, lease: .seconds(60), progress: UnitProgress(fraction: 0.5)))
        try await queue.complete(one, result: nil)
        try await queue.fail(two, reason: "unusable master")
        #expect(try store.jobState(one.id) == .done)
        #expect(try store.jobState(two.id) == .failed)
        #expect(try await queue.heartbeat(one, lease: .seconds(60), progress: UnitProgress()) == false)
        #expect(try await queue.requeueExpired() == 0)
        #expect(try await queue.claim(worker: "w1", lease: .seconds(60)) == nil)
    }

    @Test("a released job is claimed again as a new attempt; a crashed process's jobs come back at the next start")
    func releaseAndRecover() async throws {
        let store = try store()
        let queue = SQLiteJobQueue(store: store)
        try await addAsset("a", to: store)
        let first = try #require(try await queue.claim(worker: "w", lease: .seconds(60)))
        try await queue.release(first)
        let again = try #require(try await queue.claim(worker: "w", lease: .seconds(60)))
        #expect(again.id == first.id && again.attempt == 2)
        try await store.updateAsset("a") { $0.status = .processing }
        // The process dies holding it: the next start queues the job and its asset again.
        #expect(try await queue.requeueExpired() == 1)
        #expect(try await store.asset("a")?.status == .queued)
        #expect(try await queue.claim(worker: "w", lease: .seconds(60))?.id == first.id)
    }
}

import Foundation
import Logging
import PostgresNIO
import StrataMedia
import StrataProfiles
@testable import StrataServer
import Synchronization
import Testing
import TestSupport

/// The same checks on both asset stores: the embedded SQLite one and the PostgreSQL one that API servers share
/// (a real cluster of the test's own).
@Suite("asset store: SQLite and PostgreSQL behave alike", .serialized)
struct AssetStoreTests {
    static let logger = Logger(label: "strata.test.assets")

    /// Runs `body` with a fresh SQLite store, then with a fresh PostgreSQL store (and its shared database).
    func withEachStore(_ body: @Sendable (any AssetStore, SharedDatabase?) async throws -> Void) async throws {
        let files = try AssetFiles(root: try makeTemporaryDirectory("asset-store"))
        try await body(SQLiteAssetStore(database: try ServerDatabase(path: files.database.path)), nil)
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let shared = try await SharedDatabase.open(url: cluster.url, logger: Self.logger)
        defer { shared.close() }
        try await body(shared.assets(logger: Self.logger), shared)
    }

    var profile: EncodingProfile {
        get throws { try ProfileLibrary(directory: repositoryRoot.appendingPathComponent("Profiles")).load(named: "default") }
    }

    @Test("an asset reads back as written; updates apply in one step; an unusable master is recorded failed without a job")
    func assetRoundTrip() async throws {
        let profile = try profile
        try await withEachStore { store, _ in
            let made = try await store.createAsset(id: "a1", title: "Café ✓", profile: profile, masterSize: 1234, problem: nil)
            let read = try #require(try await store.asset("a1"))
            #expect(read.id == "a1" && read.title == "Café ✓" && read.profileName == profile.name && read.profileJSON == made.profileJSON)
            #expect(read.status == .queued && read.progress == 0 && !read.published && read.packageVersion == 0 && read.masterSize == 1234)
            #expect(abs(read.createdAt.timeIntervalSince(made.createdAt)) < 0.002)
            #expect(try await store.jobCounts() == [.queued: 1])

            let changed = try #require(try await store.updateAsset("a1") {
                $0.status = .ready
                $0.progress = 1
                $0.packageVersion = 2
                $0.factsJSON = #"{"renditions":[]}"#
                $0.playableSeconds = 12.5
            })
            #expect(try await store.asset("a1")?.status == .ready)
            #expect(try await store.asset("a1")?.factsJSON == changed.factsJSON && changed.packageVersion == 2 && changed.playableSeconds == 12.5)
            #expect(try await store.setPublished("a1", true)?.published == true)
            #expect(try await store.asset("a1")?.published == true)
            #expect(try await store.updateAsset("missing") { $0.progress = 0.5 } == nil)
            #expect(try await store.setPublished("missing", true) == nil)

            try await Task.sleep(for: .milliseconds(5))
            let failed = try await store.createAsset(id: "a2", title: nil, profile: profile, masterSize: 1,
                                                     problem: TranscodeError(.noVideo, "no video stream"))
            #expect(failed.status == .failed)
            #expect(try await store.asset("a2")?.errorMessage == "no video stream")
            #expect(try await store.asset("a2")?.errorCode == TranscodeError.Code.noVideo.rawValue)
            #expect(try await store.assets().map(\.id) == ["a2", "a1"], "newest first")
            #expect(try await store.jobCounts() == [.queued: 1], "a failed master gets no job")
        }
    }

    @Test("sidecars: a ready asset gets one waiting repackage however many arrive; a queued one gets none; marks and deletion")
    func sidecarsAndDeletion() async throws {
        let profile = try profile
        try await withEachStore { store, _ in
            _ = try await store.createAsset(id: "r", title: nil, profile: profile, masterSize: 1, problem: nil)
            _ = try await store.createAsset(id: "q", title: nil, profile: profile, masterSize: 1, problem: nil)
            try await store.updateAsset("r") { $0.status = .ready }
            func sidecar(_ asset: String, _ language: String) -> SidecarRecord {
                SidecarRecord(id: nil, assetID: asset, kind: .audio, language: language, variant: "main", fileName: "\(language).m4a",
                              state: .pending, errorMessage: nil, createdAt: Date())
            }
            let first = try await store.addSidecar(sidecar("r", "es"))
            let second = try await store.addSidecar(sidecar("r", "fr"))
            _ = try await store.addSidecar(sidecar("q", "de"))
            #expect(first.id != nil && second.id != nil && first.id != second.id)
            #expect(try await store.sidecars(of: "r").map(\.language) == ["es", "fr"])
            // Two transcodes from the uploads, one repackage for the ready asset's two sidecars.
            #expect(try await store.jobCounts() == [.queued: 3])
            try await store.markSidecars([try #require(first.id)], state: .failed, error: "not audio")
            #expect(try await store.pendingSidecars(of: "r").map(\.language) == ["fr"])
            #expect(try await store.sidecars(of: "r").first?.errorMessage == "not audio")
            try await store.markSidecars([try #require(second.id)], state: .packaged)
            try await store.enqueueRepackageIfPending(for: "r")
            #expect(try await store.jobCounts() == [.queued: 3], "nothing pending, nothing queued")
            try await store.enqueueRepackageIfPending(for: "q")
            #expect(try await store.jobCounts() == [.queued: 4], "the queued asset's pending sidecar gets a repackage")

            #expect(try await store.delete("q"))
            #expect(try await store.delete("q") == false)
            #expect(try await store.asset("q") == nil)
            #expect(try await store.sidecars(of: "q").isEmpty)
            #expect(try await store.jobCounts() == [.queued: 2], "the deleted asset's jobs went with it")
        }
    }

    @Test("PostgreSQL: API servers claim jobs under a lease; a job's failure is final; changes players see are announced, progress is not")
    func sharedJobsAndAnnouncements() async throws {
        let profile = try profile
        let cluster = try PostgresCluster()
        defer { cluster.stop() }
        let shared = try await SharedDatabase.open(url: cluster.url, logger: Self.logger)
        defer { shared.close() }
        let store = shared.assets(logger: Self.logger)
        let announced = Mutex<[String]>([])
        let listener = Task {
            try await SharedStateListener(client: shared.client, logger: Self.logger, refresh: { id in announced.withLock { $0.append(id) } },
                                          refreshAll: { announced.withLock { $0.append("*") } }).run()
        }
        defer { listener.cancel() }
        while announced.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }

        _ = try await store.createAsset(id: "j1", title: nil, profile: profile, masterSize: 1, problem: nil)
        _ = try await store.createAsset(id: "j2", title: nil, profile: profile, masterSize: 1, problem: nil)
        let jobs = shared.jobs
        let held = try #require(try await jobs.claim(worker: "server-a", lease: .seconds(1)))
        let other = try #require(try await jobs.claim(worker: "server-b", lease: .seconds(60)))
        #expect(held.assetID == "j1" && other.assetID == "j2" && held.kind == .transcode)
        #expect(try await jobs.claim(worker: "server-b", lease: .seconds(60)) == nil)
        // server-a stops renewing: its job is claimable again, by another server, as a second attempt.
        try await Task.sleep(for: .milliseconds(1500))
        let takenOver = try #require(try await jobs.claim(worker: "server-b", lease: .seconds(60)))
        #expect(takenOver.id == held.id && takenOver.attempt == 2)
        #expect(try await jobs.heartbeat(held, lease: .seconds(60), progress: UnitProgress()) == false)
        try await jobs.fail(other, reason: "unusable master")
        #expect(try await store.jobCounts() == [.running: 1, .failed: 1], "failed at once, not retried")

        // Progress alone is not announced; status, publication and removal are, with the asset's id.
        try await store.updateAsset("j1") { $0.progress = 0.5 }
        try await store.updateAsset("j1") { $0.status = .processing }
        _ = try await store.setPublished("j1", true)
        _ = try await store.delete("j2")
        let deadline = ContinuousClock.now + .seconds(10)
        while announced.withLock({ $0.count }) < 6, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(announced.withLock { $0 } == ["*", "j1", "j2", "j1", "j1", "j2"])
    }
}

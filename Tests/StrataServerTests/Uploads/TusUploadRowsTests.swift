import Foundation
@testable import StrataServer
import Testing
import TestSupport

/// The same contract for resumable uploads' rows in SQLite and in PostgreSQL, with two servers sharing the rows.
@Suite("tus upload rows (SQLite and PostgreSQL)", .serialized)
struct TusUploadRowsTests {
    func record(expiresIn seconds: Double, length: Int = 1000) -> TusUploadRecord {
        let now = Date()
        return TusUploadRecord(id: TusUploadID.make(), length: length, offset: 0, profileName: "default", title: "Kitchen",
                               metadata: "title S2l0Y2hlbg==", assetID: nil, createdAt: now, expiresAt: now.addingTimeInterval(seconds),
                               audioLanguages: "en,fr")
    }

    @Test("an upload is created, read back by another server, advanced under its lease, completed, removed and expired",
          arguments: RowsBackend.allCases)
    func lifecycle(_ backend: RowsBackend) async throws {
        try await SharedRowsDatabase.with(backend) { shared in
            let mine = try TusUploadStore(rows: shared.servers[0].tus, dataDirectory: shared.dataDirectory)
            let theirs = try TusUploadStore(rows: shared.servers[1].tus, dataDirectory: shared.dataDirectory)
            let upload = record(expiresIn: 3600)
            try await mine.create(upload)
            #expect(FileManager.default.fileExists(atPath: theirs.file(of: upload.id).path), "the file is in the shared data folder")
            let read = try #require(try await theirs.upload(upload.id))
            #expect(read.id == upload.id && read.length == 1000 && read.offset == 0 && read.profileName == "default")
            #expect(read.title == "Kitchen" && read.metadata == upload.metadata && read.assetID == nil && read.audioLanguageList == ["en", "fr"])
            #expect(abs(read.expiresAt.timeIntervalSince(upload.expiresAt)) < 0.001 && abs(read.createdAt.timeIntervalSince(upload.createdAt)) < 0.001)
            #expect(try await theirs.upload(TusUploadID.make()) == nil)

            // Offsets are recorded only under the writer's lease.
            #expect(try await mine.rows.claimWriter(upload.id, holder: "patch-1", lease: .seconds(60)))
            try await mine.setOffset(upload.id, 400, writer: "patch-1")
            await #expect(throws: APIError.self) { try await theirs.setOffset(upload.id, 999, writer: "patch-2") }
            #expect(try await theirs.upload(upload.id)?.offset == 400)
            try await mine.setOffset(upload.id, 1000, writer: "patch-1")
            try await mine.complete(upload.id, asset: "asset-1")
            try await mine.rows.releaseWriter(upload.id, holder: "patch-1")
            let done = try #require(try await theirs.upload(upload.id))
            #expect(done.offset == 1000 && done.assetID == "asset-1" && done.isComplete)

            // Expiry takes only incomplete uploads past their time, each once, with their files.
            let stale = record(expiresIn: -60)
            let fresh = record(expiresIn: 3600)
            try await theirs.create(stale)
            try await theirs.create(fresh)
            let removed = try await [mine.removeExpired(), theirs.removeExpired()]
            #expect(removed.flatMap { $0 } == [stale.id])
            #expect(try await mine.upload(stale.id) == nil)
            #expect(!FileManager.default.fileExists(atPath: mine.file(of: stale.id).path))
            #expect(try await mine.upload(fresh.id) != nil, "an unexpired upload stays")
            #expect(try await mine.upload(upload.id) != nil, "a complete upload stays")
            #expect(try await theirs.rows.claimWriter(fresh.id, holder: "patch-3", lease: .seconds(60)))
            #expect(try await mine.removeExpired(now: Date().addingTimeInterval(7200)).isEmpty, "not while a request writes to it")
            try await theirs.rows.releaseWriter(fresh.id, holder: "patch-3")
            let later = try await mine.removeExpired(now: Date().addingTimeInterval(7200))
            #expect(later == [fresh.id], "a complete upload never expires")

            try await theirs.remove(upload.id)
            #expect(try await mine.upload(upload.id) == nil)
            #expect(!FileManager.default.fileExists(atPath: mine.file(of: upload.id).path))
        }
    }

    @Test("of requests racing for one upload's writer lease on two servers exactly one wins; a lease that ran out is taken over",
          arguments: RowsBackend.allCases)
    func writerLease(_ backend: RowsBackend) async throws {
        try await SharedRowsDatabase.with(backend) { shared in
            let store = try TusUploadStore(rows: shared.servers[0].tus, dataDirectory: shared.dataDirectory)
            let upload = record(expiresIn: 3600)
            try await store.create(upload)
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    let rows = shared.servers[index % 2].tus
                    group.addTask { try await rows.claimWriter(upload.id, holder: "request-\(index)", lease: .seconds(60)) ? "request-\(index)" : nil }
                }
                return try await group.reduce(into: [String]()) { if let holder = $1 { $0.append(holder) } }
            }
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            let other = shared.servers[1].tus
            #expect(try await other.renewWriter(upload.id, holder: winner, lease: .seconds(60)))
            #expect(try await other.renewWriter(upload.id, holder: "request-x", lease: .seconds(60)) == false)
            try await other.releaseWriter(upload.id, holder: "request-x")
            #expect(try await other.claimWriter(upload.id, holder: "request-x", lease: .seconds(60)) == false, "only its holder releases a lease")
            try await other.releaseWriter(upload.id, holder: winner)
            #expect(try await other.claimWriter(upload.id, holder: "request-x", lease: .seconds(60)))
            try await other.releaseWriter(upload.id, holder: "request-x")

            // A server that died holding the lease: once its lease has run out (claimed here with none left), another
            // request takes over, and the dead one can neither renew nor record an offset any more.
            #expect(try await other.claimWriter(upload.id, holder: "dead", lease: .seconds(-1)))
            #expect(try await store.rows.claimWriter(upload.id, holder: "successor", lease: .seconds(60)))
            #expect(try await other.renewWriter(upload.id, holder: "dead", lease: .seconds(60)) == false)
            #expect(try await other.setOffset(upload.id, 10, writer: "dead") == false)
            #expect(try await other.setOffset(upload.id, 10, writer: "successor"))
            #expect(try await other.claimWriter(TusUploadID.make(), holder: "nobody", lease: .seconds(60)) == false, "no such upload")
        }
    }

    @Test("a PATCH reaching a second server while another writes gets 423 upload_busy, as on one server; 404 for an unknown upload",
          arguments: RowsBackend.allCases)
    func patchExclusion(_ backend: RowsBackend) async throws {
        try await SharedRowsDatabase.with(backend) { shared in
            let store = try TusUploadStore(rows: shared.servers[0].tus, dataDirectory: shared.dataDirectory)
            let first = UploadLocks(rows: shared.servers[0].tus)
            let second = UploadLocks(rows: shared.servers[1].tus)
            let upload = record(expiresIn: 3600)
            try await store.create(upload)
            let written = try await first.holding(upload.id) { holder in
                // While the first server's request writes, the second server's request for the same upload is refused.
                let refused = await #expect(throws: APIError.self) { try await second.holding(upload.id) { _ in 0 } }
                #expect(refused?.status.code == 423 && refused?.code == "upload_busy")
                let alsoMine = await #expect(throws: APIError.self) { try await first.holding(upload.id) { _ in 0 } }
                #expect(alsoMine?.status.code == 423, "two requests on one server are excluded the same way")
                try await store.setOffset(upload.id, 500, writer: holder)
                return 500
            }
            #expect(written == 500)
            // Once the first request has finished, the second server's next PATCH gets the lease.
            let next = try await second.holding(upload.id) { holder in
                try await TusUploadStore(rows: shared.servers[1].tus, dataDirectory: shared.dataDirectory).setOffset(upload.id, 1000, writer: holder)
                return try await store.upload(upload.id)?.offset
            }
            #expect(next == 1000)
            // A request that fails still gives the lease back.
            await #expect(throws: APIError.self) { try await first.holding(upload.id) { _ in throw APIError.badRequest("broken chunk") } }
            #expect(try await second.holding(upload.id) { _ in true })
            let unknown = await #expect(throws: APIError.self) { try await second.holding(TusUploadID.make()) { _ in 0 } }
            #expect(unknown?.status == .notFound)
        }
    }
}

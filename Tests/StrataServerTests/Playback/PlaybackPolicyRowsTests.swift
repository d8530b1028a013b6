import Crypto
import Foundation
import Logging
import PostgresNIO
@testable import StrataServer
import Testing
import TestSupport

/// Playback policies in SQLite and in PostgreSQL, and each API server's in-memory view of them.
@Suite("playback policy rows (SQLite and PostgreSQL)", .serialized)
struct PlaybackPolicyRowsTests {
    let key = SymmetricKey(size: .bits256)

    @Test("a policy set on one server reaches another's view by reload(asset:) and reloadAll(); a removed asset is public again",
          arguments: RowsBackend.allCases)
    func reloads(_ backend: RowsBackend) async throws {
        try await SharedRowsDatabase.with(backend) { shared in
            for asset in ["a1", "a2", "a3"] { try await shared.addAsset(asset) }
            let mine = try await PlaybackAccess(rows: shared.servers[0].policies, key: key)
            let theirs = try await PlaybackAccess(rows: shared.servers[1].policies, key: key)
            #expect(mine.policy(of: "a1") == .public && theirs.policy(of: "a1") == .public, "no row: public")

            try await mine.setPolicy(.signed, of: "a1")
            #expect(mine.policy(of: "a1") == .signed)
            #expect(theirs.policy(of: "a1") == .public, "another server's view changes only when it reloads")
            #expect(try await shared.servers[1].policies.policy(of: "a1") == .signed)
            try await theirs.reload(asset: "a1")
            #expect(theirs.policy(of: "a1") == .signed)

            try await mine.setPolicy(.signed, of: "a2")
            try await mine.setPolicy(.signed, of: "a3")
            try await mine.setPolicy(.public, of: "a1")
            try await theirs.reloadAll()
            #expect(["a1", "a2", "a3"].map(theirs.policy(of:)) == [.public, .signed, .signed])

            // Removing the asset removes its policy (ON DELETE CASCADE).
            try await shared.removeAsset("a2")
            try await theirs.reload(asset: "a2")
            #expect(theirs.policy(of: "a2") == .public)
            #expect(try await shared.servers[0].policies.signedAssets() == ["a3"])
            let restarted = try await PlaybackAccess(rows: shared.servers[0].policies, key: key)
            #expect(["a1", "a2", "a3"].map(restarted.policy(of:)) == [.public, .public, .signed])
        }
    }

    @Test("PostgreSQL announces every policy change (insert, update, delete) on strata_asset with the asset's id")
    func announcements() async throws {
        try await SharedRowsDatabase.with(.postgres) { shared in
            try await shared.addAsset("a1")
            let client = try #require(shared.postgres)
            let announced = try await client.withConnection { connection in
                try await connection.listen(on: "strata_asset") { notifications in
                    var iterator = notifications.makeAsyncIterator()
                    var payloads: [String] = []
                    for change in [PlaybackPolicy.signed, .public] {
                        // Written by the other server, over its own connection.
                        try await shared.servers[1].policies.setPolicy(change, of: "a1")
                        payloads.append(try #require(try await iterator.next()).payload)
                    }
                    try await client.query("DELETE FROM strata_playback_policy WHERE asset_id = 'a1'", logger: Logger(label: "strata.test.rows"))
                    payloads.append(try #require(try await iterator.next()).payload)
                    return payloads
                }
            }
            #expect(announced == ["a1", "a1", "a1"])
        }
    }

    @Test("a read that started earlier never overwrites what a later one found")
    func orderedReads() {
        var view = SignedAssets(["a"])
        let early = view.ticket()
        let late = view.ticket()
        view.apply(.public, of: "a", read: late)
        view.apply(.signed, of: "a", read: early)
        #expect(view.assets.isEmpty, "the earlier read is stale")
        let all = view.ticket()
        let single = view.ticket()
        view.apply(.signed, of: "b", read: single)
        view.applyAll(["a", "c"], read: all)
        #expect(view.assets == ["a", "b", "c"], "b's later read survives the earlier full read")
        view.applyAll([], read: view.ticket())
        #expect(view.assets.isEmpty)
        view.apply(.signed, of: "b", read: single)
        #expect(view.assets.isEmpty, "a full read applied after it makes the older single read stale")
    }
}

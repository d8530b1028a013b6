import Foundation
import GRDB
import Logging
import PostgresNIO
@testable import StrataServer
import Testing
import TestSupport

/// Where the contract tests keep rows: the embedded SQLite database or a real PostgreSQL cluster of the test's own.
enum RowsBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// One API server's rows stores, over its own connection(s) to the shared database.
struct RowsServer: Sendable {
    let tus: any TusUploadRows
    let direct: any DirectUploadRows
    let policies: any PlaybackPolicyRows
}

/// A fresh database that `servers` share, as several API servers (or, for SQLite, several openings of one file) do.
struct SharedRowsDatabase: Sendable {
    let servers: [RowsServer]
    /// The data folder the servers share (`<data>/tus/<id>`).
    let dataDirectory: URL
    /// Adds an asset row (policies belong to an asset).
    let addAsset: @Sendable (String) async throws -> Void
    /// Removes an asset row, as deleting the asset does.
    let removeAsset: @Sendable (String) async throws -> Void
    /// The PostgreSQL client of the first server, nil for SQLite.
    let postgres: PostgresClient?

    /// Runs `body` with `count` servers on a new database of `backend`; a PostgreSQL cluster is stopped afterwards.
    static func with(_ backend: RowsBackend, servers count: Int = 2,
                     _ body: (SharedRowsDatabase) async throws -> Void) async throws {
        let data = try makeTemporaryDirectory("rows-\(backend.rawValue)")
        defer { try? FileManager.default.removeItem(at: data) }
        switch backend {
        case .sqlite:
            let path = data.appendingPathComponent("strata.sqlite").path
            // Each server opens the file itself; all are open before any test writes (an opening voids old leases).
            let databases = try (0..<count).map { _ in try ServerDatabase(path: path) }
            let servers = try databases.map { database in
                RowsServer(tus: try SQLiteTusUploadRows(database: database), direct: SQLiteDirectUploadRows(database: database),
                           policies: SQLitePlaybackPolicyRows(database: database))
            }
            let database = databases[0]
            try await body(SharedRowsDatabase(servers: servers, dataDirectory: data, addAsset: { id in
                try await database.queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO asset (id, profileName, profileJSON, status, progress, published, packageVersion, masterSize, createdAt, updatedAt)
                        VALUES (?, 'default', '{}', 'ready', 1, 1, 1, 0, ?, ?)
                        """, arguments: [id, Date(), Date()])
                }
            }, removeAsset: { id in
                try await database.queue.write { db in try db.execute(sql: "DELETE FROM asset WHERE id = ?", arguments: [id]) }
            }, postgres: nil))
        case .postgres:
            let logger = Logger(label: "strata.test.rows")
            let cluster = try PostgresCluster()
            defer { cluster.stop() }
            let configuration = try PostgresLocation(url: cluster.url).configuration
            let clients = (0..<count).map { _ in PostgresClient(configuration: configuration, backgroundLogger: logger) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in clients { group.addTask { await client.run() } }
                defer { group.cancelAll() }
                try await PostgresSchema.migrate(clients[0], logger: logger)
                let servers = clients.map { client in
                    RowsServer(tus: PostgresTusUploadRows(client: client, logger: logger), direct: PostgresDirectUploadRows(client: client, logger: logger),
                               policies: PostgresPlaybackPolicyRows(client: client, logger: logger))
                }
                let client = clients[0]
                try await body(SharedRowsDatabase(servers: servers, dataDirectory: data, addAsset: { id in
                    try await client.query("""
                        INSERT INTO strata_asset (id, profile_name, profile_json, status, progress, published, package_version, master_size, created_at, updated_at)
                        VALUES (\(id), 'default', '{}', 'ready', 1, true, 1, 0, now(), now())
                        """, logger: logger)
                }, removeAsset: { id in
                    try await client.query("DELETE FROM strata_asset WHERE id = \(id)", logger: logger)
                }, postgres: client))
            }
        }
    }
}

import Foundation
import GRDB
import Logging
import PostgresNIO
@testable import StrataServer
import Synchronization
import TestSupport

/// A webhook store under test together with the asset table whose triggers record its events: SQLite's `asset`
/// written through GRDB as the server does, or PostgreSQL's `strata_asset` written with plain SQL.
protocol WebhookStoreUnderTest: Sendable {
    var name: String { get }
    var store: any WebhookStore { get }
    func insert(_ asset: AssetRecord) async throws
    /// Writes the whole row, every column in the statement, as a store's update does.
    func update(_ id: String, _ change: @Sendable (inout AssetRecord) -> Void) async throws
    func delete(_ id: String) async throws
}

extension WebhookStoreUnderTest {
    /// A queued asset as an upload creates it.
    func insert(_ id: String, title: String? = "t", status: AssetStatus = .queued, error: (code: String, message: String)? = nil) async throws {
        let now = Date()
        try await insert(AssetRecord(id: id, title: title, profileName: "default", profileJSON: "{}", status: status, progress: 0,
                                     errorCode: error?.code, errorMessage: error?.message, published: false, packageVersion: 0,
                                     masterSize: 1, factsJSON: nil, createdAt: now, updatedAt: now))
    }

    /// An endpoint created now, subscribed to `events` (default all).
    func subscribe(_ url: String, events: [WebhookEvent] = WebhookEvent.allCases, secret: String = "whsec_contract_test_0123456789") async throws
        -> WebhookRecord {
        let hook = WebhookRecord(id: "wh_" + RecordID.make(), url: url, events: events.map(\.rawValue).joined(separator: ","),
                                 secret: secret, createdAt: Date())
        try await store.create(hook)
        return hook
    }
}

/// The server's own SQLite database in a temporary folder.
struct SQLiteStoreUnderTest: WebhookStoreUnderTest {
    let database: ServerDatabase
    var name: String { "SQLite" }
    var store: any WebhookStore { SQLiteWebhookStore(database: database) }

    init() throws {
        database = try ServerDatabase(path: try makeTemporaryDirectory("webhook-store").appendingPathComponent("strata.sqlite").path)
    }

    func insert(_ asset: AssetRecord) async throws {
        try await database.queue.write { db in try asset.insert(db) }
    }

    func update(_ id: String, _ change: @Sendable (inout AssetRecord) -> Void) async throws {
        try await database.queue.write { db in
            guard var asset = try AssetRecord.fetchOne(db, key: id) else { throw ToolError("no asset \(id)") }
            change(&asset)
            try asset.update(db)
        }
    }

    func delete(_ id: String) async throws {
        _ = try await database.queue.write { db in try AssetRecord.deleteOne(db, key: id) }
    }
}

/// A migrated PostgreSQL database of a throwaway cluster; the test keeps the only copy of each asset row, so an
/// update writes every column from it.
final class PostgresStoreUnderTest: WebhookStoreUnderTest {
    let client: PostgresClient
    let logger: Logger
    let postgresStore: PostgresWebhookStore
    private let rows = Mutex<[String: AssetRecord]>([:])
    var name: String { "PostgreSQL" }
    var store: any WebhookStore { postgresStore }

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        postgresStore = PostgresWebhookStore(client: client, logger: logger)
    }

    func insert(_ asset: AssetRecord) async throws {
        try await client.query("""
            INSERT INTO strata_asset (id, title, profile_name, profile_json, status, progress, error_code, error_message, published,
                                      package_version, master_size, facts_json, created_at, updated_at, playable_seconds)
            VALUES (\(asset.id), \(asset.title), \(asset.profileName), \(asset.profileJSON), \(asset.status.rawValue), \(asset.progress),
                    \(asset.errorCode), \(asset.errorMessage), \(asset.published), \(asset.packageVersion), \(asset.masterSize),
                    \(asset.factsJSON), \(asset.createdAt), \(asset.updatedAt), \(asset.playableSeconds))
            """, logger: logger)
        rows.withLock { $0[asset.id] = asset }
    }

    func update(_ id: String, _ change: @Sendable (inout AssetRecord) -> Void) async throws {
        guard var asset = rows.withLock({ $0[id] }) else { throw ToolError("no asset \(id)") }
        change(&asset)
        try await client.query("""
            UPDATE strata_asset SET title = \(asset.title), profile_name = \(asset.profileName), profile_json = \(asset.profileJSON),
                status = \(asset.status.rawValue), progress = \(asset.progress), error_code = \(asset.errorCode),
                error_message = \(asset.errorMessage), published = \(asset.published), package_version = \(asset.packageVersion),
                master_size = \(asset.masterSize), facts_json = \(asset.factsJSON), updated_at = now(),
                playable_seconds = \(asset.playableSeconds)
            WHERE id = \(id)
            """, logger: logger)
        rows.withLock { [asset] in $0[id] = asset }
    }

    func delete(_ id: String) async throws {
        try await client.query("DELETE FROM strata_asset WHERE id = \(id)", logger: logger)
        _ = rows.withLock { $0.removeValue(forKey: id) }
    }
}

/// A JSON value with its type kept apart (a boolean is not a number), for comparing payloads across stores.
enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let bool = try? value.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? value.decode(Double.self) {
            self = .number(number)
        } else if let string = try? value.decode(String.self) {
            self = .string(string)
        } else if let array = try? value.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try value.decode([String: JSONValue].self))
        }
    }

    init(parsing text: String) throws { self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { fields[key] } else { nil }
    }

    /// The string, when this is one.
    var text: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The value's shape: its type, and for an object each key's shape (values themselves left out).
    var shape: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array(let items): "[" + items.map(\.shape).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.keys.sorted().map { "\($0):\(fields[$0]!.shape)" }.joined(separator: ",") + "}"
        }
    }
}

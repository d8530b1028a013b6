import Foundation
import GRDB

/// A resumable (tus) upload (table `tus_upload`): its declared length and the last offset made durable.
struct TusUploadRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "tus_upload"

    /// A random name ([a-z0-9], 32 characters); the data lives at `<data>/tus/<id>`.
    var id: String
    var length: Int
    /// Bytes written and fsynced; what `HEAD` reports after a crash.
    var offset: Int
    var profileName: String
    var title: String?
    /// The `Upload-Metadata` header as sent, returned on `HEAD` (tus 1.0 §creation).
    var metadata: String?
    /// The asset made once the last byte arrived.
    var assetID: String?
    var createdAt: Date
    /// Incomplete uploads are removed after this (tus 1.0 §expiration).
    var expiresAt: Date
    /// The master's audio languages to keep (comma-separated BCP 47), replacing the profile's; nil keeps the profile's.
    var audioLanguages: String?

    var isComplete: Bool { offset == length && assetID != nil }
    var audioLanguageList: [String]? { audioLanguages.map { $0.split(separator: ",").map(String.init) } }

    /// Registers the table's migration.
    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-tus-uploads") { db in
            try db.create(table: databaseTableName) { table in
                table.primaryKey("id", .text)
                table.column("length", .integer).notNull()
                table.column("offset", .integer).notNull()
                table.column("profileName", .text).notNull()
                table.column("title", .text)
                table.column("metadata", .text)
                table.column("assetID", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("expiresAt", .datetime).notNull().indexed()
            }
        }
        migrator.registerMigration("v6-tus-audio-languages") { db in
            try db.alter(table: databaseTableName) { table in table.add(column: "audioLanguages", .text) }
        }
        // The writer's lease (`TusUploadRows.claimWriter`): who may append now, and until when.
        migrator.registerMigration("v7-tus-writer-lease") { db in
            try db.alter(table: databaseTableName) { table in
                table.add(column: "writer", .text)
                table.add(column: "writerUntil", .datetime)
            }
        }
    }
}

/// A tus upload id as it arrives in a URL: a name, never a path.
enum TusUploadID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// A new unguessable id: 32 characters from 36 (about 165 bits).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Whether `text` has the shape of an id this server hands out.
    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) }
    }
}

import Foundation
import GRDB

/// A one-time upload URL handed to a browser (table `direct_upload`): whoever holds it may create one tus upload,
/// without the API token, into the profile and title the operator chose.
struct DirectUploadRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "direct_upload"

    /// Unguessable, like tus upload ids (`TusUploadID`).
    var id: String
    var profileName: String
    var title: String?
    /// When set, browsers from other origins are refused.
    var corsOrigin: String?
    /// The URL cannot start an upload after this.
    var expiresAt: Date
    /// The tus upload it started, once used.
    var uploadID: String?
    var createdAt: Date
    /// The master's audio languages to keep (comma-separated BCP 47), the operator's choice; nil keeps the profile's.
    var audioLanguages: String?

    var audioLanguageList: [String]? { audioLanguages.map { $0.split(separator: ",").map(String.init) } }

    static func migrate(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-direct-uploads") { db in
            try db.create(table: databaseTableName) { table in
                table.primaryKey("id", .text)
                table.column("profileName", .text).notNull()
                table.column("title", .text)
                table.column("corsOrigin", .text)
                table.column("expiresAt", .datetime).notNull()
                table.column("uploadID", .text)
                table.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v6-direct-upload-audio-languages") { db in
            try db.alter(table: databaseTableName) { table in table.add(column: "audioLanguages", .text) }
        }
    }
}

import Foundation
import GRDB

/// The server's SQLite database (GRDB), created and migrated on open.
struct ServerDatabase: Sendable {
    let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path`.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try ServerDatabase.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "asset") { table in
                table.primaryKey("id", .text)
                table.column("title", .text)
                table.column("profileName", .text).notNull()
                table.column("profileJSON", .text).notNull()
                table.column("status", .text).notNull()
                table.column("progress", .double).notNull()
                table.column("errorCode", .text)
                table.column("errorMessage", .text)
                table.column("published", .boolean).notNull()
                table.column("packageVersion", .integer).notNull()
                table.column("masterSize", .integer).notNull()
                table.column("factsJSON", .text)
                table.column("createdAt", .datetime).notNull()
                table.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "sidecar") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("assetID", .text).notNull().indexed().references("asset", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("language", .text).notNull()
                table.column("variant", .text).notNull()
                table.column("fileName", .text).notNull()
                table.column("state", .text).notNull()
                table.column("errorMessage", .text)
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "job") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("assetID", .text).notNull().indexed().references("asset", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("state", .text).notNull().indexed()
                table.column("attempts", .integer).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("startedAt", .datetime)
                table.column("finishedAt", .datetime)
            }
        }
        migrator.registerMigration("v2-progressive") { db in
            // Seconds of the package players can already watch while its job runs (playable while transcoding).
            try db.alter(table: "asset") { table in
                table.add(column: "playableSeconds", .double).notNull().defaults(to: 0)
            }
        }
        TusUploadRecord.migrate(&migrator)
        PlaybackAccess.migrate(&migrator)
        WebhookSchema.migrate(&migrator)
        PlayableEventSchema.migrate(&migrator)
        DirectUploadRecord.migrate(&migrator)
        return migrator
    }
}

import Foundation
import Logging

/// Every record an API server keeps, all in one place: the embedded SQLite database (`<data>/strata.sqlite`, the
/// default), or a PostgreSQL database that several API servers and workers share (`--database postgres://…`).
struct ServerStores: Sendable {
    let assets: any AssetStore
    /// The API servers' jobs.
    let jobs: any JobQueue
    let tusUploads: any TusUploadRows
    let directUploads: any DirectUploadRows
    let policies: any PlaybackPolicyRows
    let webhooks: any WebhookStore

    /// The stores of `<data>/strata.sqlite`, created and migrated if needed.
    static func embedded(_ files: AssetFiles) throws -> ServerStores {
        let database = try ServerDatabase(path: files.database.path)
        let assets = SQLiteAssetStore(database: database)
        return ServerStores(assets: assets, jobs: SQLiteJobQueue(store: assets), tusUploads: try SQLiteTusUploadRows(database: database),
                            directUploads: SQLiteDirectUploadRows(database: database), policies: SQLitePlaybackPolicyRows(database: database),
                            webhooks: SQLiteWebhookStore(database: database))
    }

    /// The stores of a shared PostgreSQL database.
    static func shared(_ shared: SharedDatabase, logger: Logger) -> ServerStores {
        let client = shared.client
        return ServerStores(assets: shared.assets(logger: logger), jobs: shared.jobs, tusUploads: PostgresTusUploadRows(client: client, logger: logger),
                            directUploads: PostgresDirectUploadRows(client: client, logger: logger),
                            policies: PostgresPlaybackPolicyRows(client: client, logger: logger),
                            webhooks: PostgresWebhookStore(client: client, logger: logger))
    }
}

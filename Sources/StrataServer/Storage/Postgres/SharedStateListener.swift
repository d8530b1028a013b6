import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps an API server's in-memory views (which packages are published, which assets play only with a token) in
/// step with a database that other API servers change too: it listens on the channel `strata_asset`, where the
/// database announces every change players can see (`PostgresAssetSchema`), and re-reads the asset named.
///
/// After each (re)connection it re-reads everything once: announcements sent while it was not listening are lost.
/// Listening starts before that reading, so no change can fall between the two.
struct SharedStateListener: Service {
    let client: PostgresClient
    let logger: Logger
    /// Re-reads one asset's state into the views.
    let refresh: @Sendable (String) async throws -> Void
    /// Re-reads every asset's state into the views.
    let refreshAll: @Sendable () async throws -> Void
    /// The channel the database announces asset changes on.
    static let channel = "strata_asset"

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { announcements in
                            try await refreshAll()
                            if failures > 0 { logger.notice("following the shared database's changes again") }
                            failures = 0
                            for try await announcement in announcements { try await refresh(announcement.payload) }
                        }
                    }
                } catch where !Task.isCancelled {
                    failures += 1
                    if failures == 1 {
                        logger.warning("cannot follow the shared database's changes; retrying",
                                       metadata: ["error": "\(String(reflecting: error))"])
                    }
                    try? await Task.sleep(for: .seconds(1))
                } catch {
                    return
                }
            }
        }
    }
}

import Logging
import PostgresNIO
@testable import StrataServer
import TestSupport

/// Runs `body` with a running client on a fresh, migrated database of a throwaway cluster; stops both afterwards.
func withMigratedPostgres(logger: Logger = Logger(label: "strata.test.postgres"),
                          _ body: @Sendable (PostgresClient, PostgresCluster) async throws -> Void) async throws {
    let cluster = try PostgresCluster()
    defer { cluster.stop() }
    let client = PostgresClient(configuration: try PostgresLocation(url: cluster.url).configuration, backgroundLogger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        try await PostgresSchema.migrate(client, logger: logger)
        try await body(client, cluster)
    }
}

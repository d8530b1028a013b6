import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database` URL as a client configuration. A socket folder is given
/// libpq's way, `postgres://user@/database?host=/run/postgresql`; `sslmode=require` asks for TLS.
struct PostgresLocation: Sendable {
    let configuration: PostgresClient.Configuration
    /// The URL without its password, for logs.
    let description: String

    init(url text: String) throws(QueueSetupError) {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw QueueSetupError("--database must be a postgres:// URL, e.g. postgres://strata@db.internal/strata")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password.flatMap { $0.removingPercentEncoding }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let database = path.isEmpty ? user : path
        let port = url.port ?? 5432
        if let host = url.host, !host.isEmpty {
            let tls: PostgresClient.Configuration.TLS = query["sslmode"] == "require" ? .require(.makeClientConfiguration()) : .disable
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
            description = "postgres://\(user)@\(host):\(port)/\(database)"
        } else if let folder = query["host"], folder.hasPrefix("/") {
            configuration = .init(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            description = "postgres://\(user)@/\(database)?host=\(folder)"
        } else {
            throw QueueSetupError("--database needs a host (postgres://user@host/db) or a socket folder (postgres://user@/db?host=/run/postgresql)")
        }
    }
}

/// A queue that cannot be reached or set up, said so an operator can fix it.
struct QueueSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

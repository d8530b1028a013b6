import Foundation

/// A throwaway PostgreSQL cluster of the test's own: `initdb` into a temporary folder, `pg_ctl start` listening only
/// on a unix socket in that folder (no port to collide on), one database; stopped and removed by `stop()`.
///
/// PostgreSQL refuses to run as root, so under root (CI) the server runs as the `postgres` user that Debian's
/// package creates; the tests connect as the cluster's superuser `strata` over the socket (trust authentication).
public final class PostgresCluster: @unchecked Sendable {
    public let folder: URL
    public let database: String
    private let binaries: URL
    private var running = true

    /// `postgres://strata@/DATABASE?host=FOLDER`: what `--database` takes.
    public var url: String { "postgres://strata@/\(database)?host=\(folder.path)" }

    public init(database: String = "strata") throws {
        binaries = try PostgresCluster.binaryFolder()
        self.database = database
        folder = URL(fileURLWithPath: "/tmp/strata-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = folder.appendingPathComponent("data").path
        if getuid() == 0 {
            try ToolRunner.require("chown", ["postgres:postgres", folder.path])
        }
        try asServer("initdb", ["-D", data, "-U", "strata", "--auth=trust", "--no-sync", "-E", "UTF8"])
        try startServer()
        try ToolRunner.require(binaries.appendingPathComponent("createdb").path, ["-h", folder.path, "-U", "strata", database])
    }

    /// Runs SQL with psql (an independent client) and returns its unaligned output.
    public func psql(_ sql: String) throws -> String {
        try ToolRunner.require(binaries.appendingPathComponent("psql").path,
                               ["-h", folder.path, "-U", "strata", "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]).stdout
    }

    /// Starts the server on the cluster's socket (again, after `stopServer`), waiting until it accepts connections.
    public func startServer() throws {
        try asServer("pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-l", folder.appendingPathComponent("server.log").path,
                                "-w", "-t", "120", "-o", "-k \(folder.path) -c listen_addresses='' -c fsync=off -c max_connections=100", "start"])
    }

    /// Stops the server as an operator's restart would (fast shutdown: every session is cut off), keeping its data
    /// for `startServer`.
    public func stopServer() throws {
        try asServer("pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "fast", "-w", "-t", "120", "stop"])
    }

    /// Stops the server (fast shutdown) and removes the folder.
    public func stop() {
        guard running else { return }
        running = false
        try? stopServer()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }

    /// Runs a server program; as root, as the `postgres` user. Descriptors above stderr are closed first: the server
    /// outlives `pg_ctl`, and one it inherited from Foundation's `Process` would keep `pg_ctl` looking alive.
    private func asServer(_ tool: String, _ arguments: [String]) throws {
        let command = (getuid() == 0 ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] : [])
            + [binaries.appendingPathComponent(tool).path] + arguments
        try ToolRunner.require("python3", ["-c", "import os, sys; os.closerange(3, 65536); os.execvp(sys.argv[1], sys.argv[1:])"] + command,
                               timeout: 180)
    }

    /// The server's programs: `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin` (Debian's layout).
    static func binaryFolder() throws -> URL {
        if let result = try? ToolRunner.run("pg_config", ["--bindir"]), result.succeeded {
            let folder = URL(fileURLWithPath: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path) { return folder }
        }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let folder = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path) { return folder }
        }
        throw ToolError("PostgreSQL's initdb was not found (pg_config --bindir, /usr/lib/postgresql/*/bin): run scripts/install-deps")
    }
}

import ArgumentParser
import Foundation
import StrataServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service: uploads, durable transcode jobs, publishing, and serving packages to players.",
        discussion: """
            Operators use the API under /v1 with 'Authorization: Bearer $STRATA_API_TOKEN' (a random token is \
            generated and printed when the variable is not set). Players fetch published packages from \
            /stream/<asset>/master.m3u8 and /stream/<asset>/manifest.mpd without a token. GET /healthz and \
            GET /metrics (Prometheus) are open. Every option can also be set in the environment \
            (STRATA_HOST, STRATA_PORT, STRATA_DATA, STRATA_MAX_UPLOAD, STRATA_WORKERS, STRATA_HEADER_TIMEOUT, \
            STRATA_IDLE_TIMEOUT, STRATA_BODY_TIMEOUT, STRATA_MAX_CONNECTIONS, STRATA_DATABASE, STRATA_LEASE_SECONDS). \
            SIGINT or SIGTERM stops gracefully: running jobs go back to the queue and resume at the next start. \
            Data lives in <data>/strata.sqlite by default. With --database postgres://… assets, jobs, uploads, \
            webhooks and playback policies live in PostgreSQL instead, so several API servers can serve one \
            library, and jobs run as units on 'strata worker' processes that share the data folder (--workers 0: \
            none in this process).
            """
    )

    @Option(help: ArgumentHelp("Address to listen on (env STRATA_HOST; default 127.0.0.1).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one (env STRATA_PORT; default 8080).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Folder for the database, uploads and packages (env STRATA_DATA; default Media).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("Largest upload accepted, e.g. 500M or 4G (env STRATA_MAX_UPLOAD; default 4G).", valueName: "size"))
    var maxUpload: String?

    @Option(help: ArgumentHelp("Jobs run at once (env STRATA_WORKERS; default: one per 8 cores, at least one). With --database, units this process runs besides serving; 0 leaves them to 'strata worker'.", valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp("A shared PostgreSQL database, postgres://user:password@host:port/database (env STRATA_DATABASE): assets and jobs live there for several API servers, and jobs run on 'strata worker' processes that mount the same --data folder.", valueName: "url"))
    var database: String?

    @Option(help: ArgumentHelp("With --database: seconds a job or unit this process holds stays held without a heartbeat before another server or worker takes it over (env STRATA_LEASE_SECONDS; default 60).", valueName: "seconds"))
    var leaseSeconds: Double?

    @Option(help: ArgumentHelp("Seconds a new connection has to send its request head (env STRATA_HEADER_TIMEOUT; default 60).", valueName: "seconds"))
    var headerTimeout: Double?

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may wait for its next request (env STRATA_IDLE_TIMEOUT; default 60).", valueName: "seconds"))
    var idleTimeout: Double?

    @Option(help: ArgumentHelp("Longest pause, in seconds, within a request body such as an upload (env STRATA_BODY_TIMEOUT; default 60).", valueName: "seconds"))
    var bodyTimeout: Double?

    @Option(help: ArgumentHelp("Connections open at once; at the cap the one waiting longest for its request head is closed (env STRATA_MAX_CONNECTIONS; default 4096 or what the open-file limit allows).", valueName: "n"))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Seconds an incomplete resumable (tus) upload is kept (env STRATA_UPLOAD_EXPIRY; default 86400).", valueName: "seconds"))
    var uploadExpiry: Int?

    @Option(help: ArgumentHelp("Seconds before the first webhook retry; each next one waits twice as long, up to an hour, for a day (env STRATA_WEBHOOK_RETRY_BASE; default 30).", valueName: "seconds"))
    var webhookRetryBase: Double?

    @Flag(help: "Take the viewer address for IP-bound playback tokens from the last X-Forwarded-For entry: only behind a reverse proxy that appends it, with Strata not reachable directly (env STRATA_TRUST_FORWARDED_FOR=1; default off).")
    var trustForwardedFor = false

    @Option(name: .customLong("import"), help: ArgumentHelp("Upload this file at start (once) and publish it when ready (repeatable).", valueName: "file"))
    var imports: [String] = []

    @Option(help: ArgumentHelp("Folder of viewer presets for the /watch and /embed pages (env STRATA_VIEWERS; default Viewers).", valueName: "dir"))
    var viewersDir: String?

    @OptionGroup var location: ProfileLocation
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        unblockTerminationSignals()
        let logger = logging.bootstrap(label: "strata.server", quietLevel: .info)
        let environment = ProcessInfo.processInfo.environment
        let token: String
        if let configured = environment["STRATA_API_TOKEN"], !configured.isEmpty {
            token = configured
        } else {
            token = (0..<32).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
            FileHandle.standardError.write(Data("strata: STRATA_API_TOKEN is not set; this run's API token is \(token)\n".utf8))
        }
        guard let uploadLimit = ServeCommand.bytes(maxUpload ?? environment["STRATA_MAX_UPLOAD"] ?? "4G") else {
            throw fail("--max-upload must be a size such as 500M or 4G", status: 64)
        }
        let portValue = port ?? environment["STRATA_PORT"].flatMap(Int.init) ?? 8080
        let workerCount = workers ?? environment["STRATA_WORKERS"].flatMap(Int.init) ?? ServerConfiguration.defaultWorkers()
        let databaseURL = database ?? environment["STRATA_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
        guard (0...65535).contains(portValue), workerCount >= (databaseURL == nil ? 1 : 0) else {
            throw fail("--port must be 0…65535 and --workers at least 1 (0 only with --database)", status: 64)
        }
        if let databaseURL, let problem = StrataWorker.problem(withDatabaseURL: databaseURL) { throw fail(problem, status: 64) }
        let lease = try leaseOption(leaseSeconds, environment)
        let connections = try connectionLimits(environment)
        let expirySeconds = uploadExpiry ?? environment["STRATA_UPLOAD_EXPIRY"].flatMap(Int.init) ?? 86_400
        guard expirySeconds > 0 else { throw fail("--upload-expiry must be a positive number of seconds", status: 64) }
        for file in imports where !FileManager.default.fileExists(atPath: file) {
            throw fail("--import '\(file)' does not exist", status: 65)
        }
        var configuration = ServerConfiguration(
            host: host ?? environment["STRATA_HOST"] ?? "127.0.0.1", port: portValue,
            dataDirectory: URL(fileURLWithPath: data ?? environment["STRATA_DATA"] ?? "Media"),
            profilesDirectory: location.library.directory, apiToken: token, maxUploadBytes: uploadLimit,
            workers: workerCount, imports: imports.map { URL(fileURLWithPath: $0) }, connections: connections)
        configuration.viewersDirectory = URL(fileURLWithPath: viewersDir ?? environment["STRATA_VIEWERS"] ?? "Viewers")
        configuration.uploadExpiry = .seconds(expirySeconds)
        let retryBase = webhookRetryBase ?? environment["STRATA_WEBHOOK_RETRY_BASE"].flatMap(Double.init) ?? 30
        guard retryBase.isFinite, retryBase > 0, retryBase <= 3600 else {
            throw fail("--webhook-retry-base must be 0 < seconds <= 3600", status: 64)
        }
        configuration.webhookRetryBase = .milliseconds(Int64(retryBase * 1000))
        configuration.trustForwardedFor = trustForwardedFor || environment["STRATA_TRUST_FORWARDED_FOR"] == "1"
        configuration.databaseURL = databaseURL
        configuration.lease = lease
        do {
            try await StrataServer.run(configuration, logger: logger) { address in
                FileHandle.standardOutput.write(Data("strata: listening on \(address)\n".utf8))
            }
        } catch {
            throw fail("the server stopped: \(error)", status: 70)
        }
    }

    /// Timeouts and the connection cap from the options, else the environment, else the defaults.
    private func connectionLimits(_ environment: [String: String]) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        let timeouts: [(String, Double?, String, WritableKeyPath<ConnectionLimits, Duration>)] = [
            ("--header-timeout", headerTimeout, "STRATA_HEADER_TIMEOUT", \.headerTimeout),
            ("--idle-timeout", idleTimeout, "STRATA_IDLE_TIMEOUT", \.idleTimeout),
            ("--body-timeout", bodyTimeout, "STRATA_BODY_TIMEOUT", \.bodyTimeout),
        ]
        for (option, value, variable, keyPath) in timeouts {
            guard let seconds = value ?? environment[variable].map({ Double($0) ?? .nan }) else { continue }
            guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
                throw fail("\(option) must be a number of seconds above 0 and at most 86400", status: 64)
            }
            limits[keyPath: keyPath] = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let count = maxConnections ?? environment["STRATA_MAX_CONNECTIONS"].map({ Int($0) ?? 0 }) {
            let largest = ConnectionLimits.largestMaxConnections()
            guard (1...largest).contains(count) else {
                throw fail("--max-connections must be 1…\(largest) (the open-file limit minus \(ConnectionLimits.reservedDescriptors) kept for files)", status: 64)
            }
            limits.maxConnections = count
        }
        return limits
    }

    /// Bytes for "4G", "500M", "64k" or a plain number.
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        let lowered = text.lowercased()
        if let unit = lowered.last.flatMap({ units[$0] }), let number = Int(lowered.dropLast()), number > 0 { return number * unit }
        return Int(lowered).flatMap { $0 > 0 ? $0 : nil }
    }
}

import ArgumentParser
import Foundation
import StrataServer

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run transcode and repackage units from a shared PostgreSQL database, without serving HTTP.",
        discussion: """
            Start one or more 'strata serve --database URL --workers 0' and any number of \
            'strata worker --database URL --data DIR' on machines that mount the same data folder (e.g. one NFS \
            export). The API server that follows a job queues a unit for it, \
            and a master at least as long as its profile's chunking.min_master_seconds as steps (plan, one unit per \
            chunk of segments, audio, assemble) so that many workers encode it at once; \
            each worker claims one unit at a time, renews its lease while it works, and records its name on every attempt. \
            A worker that dies (kill -9, lost machine) loses nothing: once its lease runs out another worker takes \
            the unit over. SIGINT or SIGTERM gives running units back to the queue at once. Every option can also be \
            set in the environment (STRATA_DATABASE, STRATA_DATA, STRATA_WORKER_NAME, STRATA_WORKERS, STRATA_LEASE_SECONDS).
            """
    )

    @Option(help: ArgumentHelp("The shared database: postgres://user:password@host:port/database, or postgres://user@/database?host=/socket/folder (env STRATA_DATABASE).", valueName: "url"))
    var database: String?

    @Option(help: ArgumentHelp("The shared folder of masters and packages, as this machine mounts it (env STRATA_DATA; default Media).", valueName: "dir"))
    var data: String?

    @Option(help: ArgumentHelp("This worker's name in the queue's records (env STRATA_WORKER_NAME; default host-pid).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Units run at once (env STRATA_WORKERS; default 1: a transcode already uses every core).", valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp("Seconds a unit stays held without a heartbeat before another worker may take it over (env STRATA_LEASE_SECONDS; default 60).", valueName: "seconds"))
    var leaseSeconds: Double?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        unblockTerminationSignals()
        let logger = logging.bootstrap(label: "strata.worker", quietLevel: .info)
        let environment = ProcessInfo.processInfo.environment
        guard let url = database ?? environment["STRATA_DATABASE"], !url.isEmpty else {
            throw fail("--database (or STRATA_DATABASE) is required: the postgres:// URL of the shared database", status: 64)
        }
        if let problem = StrataWorker.problem(withDatabaseURL: url) { throw fail(problem, status: 64) }
        let slots = workers ?? environment["STRATA_WORKERS"].flatMap(Int.init) ?? 1
        guard slots >= 1 else { throw fail("--workers must be at least 1", status: 64) }
        let lease = try leaseOption(leaseSeconds, environment)
        let configuration = WorkerConfiguration(
            databaseURL: url, dataDirectory: URL(fileURLWithPath: data ?? environment["STRATA_DATA"] ?? "Media"),
            name: name ?? environment["STRATA_WORKER_NAME"] ?? WorkerConfiguration.defaultName, slots: slots, lease: lease)
        do {
            try await StrataWorker.run(configuration, logger: logger)
        } catch {
            throw fail("the worker stopped: \(error)", status: 70)
        }
    }
}

/// `--lease-seconds` (or STRATA_LEASE_SECONDS) checked: more than 0.5 s, at most a day.
func leaseOption(_ value: Double?, _ environment: [String: String]) throws -> Duration {
    let seconds = value ?? environment["STRATA_LEASE_SECONDS"].map { Double($0) ?? .nan } ?? 60
    guard seconds.isFinite, seconds >= 0.5, seconds <= 86_400 else {
        throw fail("--lease-seconds must be a number of seconds from 0.5 to 86400", status: 64)
    }
    return .milliseconds(Int64((seconds * 1000).rounded()))
}

import Foundation
import Logging
import ServiceLifecycle

/// How `strata worker` runs: which queue, which shared data folder, under which name.
public struct WorkerConfiguration: Sendable {
    /// `postgres://…` of the shared database.
    public var databaseURL: String
    /// The shared folder holding masters and packages (the same share `strata serve --data` uses).
    public var dataDirectory: URL
    /// This worker's name in the queue's records.
    public var name: String
    /// Units run at once.
    public var slots: Int
    /// How long a unit stays held without a heartbeat.
    public var lease: Duration

    public init(databaseURL: String, dataDirectory: URL, name: String = WorkerConfiguration.defaultName, slots: Int = 1,
                lease: Duration = .seconds(60)) {
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.name = name
        self.slots = slots
        self.lease = lease
    }

    /// `host-pid`: unique among the workers of one queue.
    public static var defaultName: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}

/// `strata worker`: runs units from the shared queue until SIGINT or SIGTERM, serving no HTTP.
public enum StrataWorker {
    /// What is wrong with a `--database` URL, or nil when it can be used.
    public static func problem(withDatabaseURL url: String) -> String? {
        do {
            _ = try PostgresLocation(url: url)
            return nil
        } catch {
            return error.description
        }
    }

    public static func run(_ configuration: WorkerConfiguration, logger: Logger) async throws {
        let files = try AssetFiles(root: configuration.dataDirectory)
        let shared = try await SharedDatabase.open(url: configuration.databaseURL, logger: logger)
        defer { shared.close() }
        let worker = WorkerRunner(queue: shared.queue, work: UnitWork(files: files, logger: logger), name: configuration.name,
                                  slots: configuration.slots, lease: configuration.lease, logger: logger)
        logger.notice("worker ready", metadata: ["worker": "\(configuration.name)", "queue": "\(shared.location.description)",
                                                 "data": "\(files.root.path)"])
        let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

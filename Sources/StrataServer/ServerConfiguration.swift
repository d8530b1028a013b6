import Foundation

/// How `strata serve` runs: where it listens, where it keeps data, who may use the API.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (printed at start).
    public var port: Int
    /// Database, uploads and packages live here.
    public var dataDirectory: URL
    public var profilesDirectory: URL
    /// Viewer presets (`Viewers/` by default): the looks of the /watch and /embed pages.
    public var viewersDirectory: URL = URL(fileURLWithPath: "Viewers")
    /// Required as `Authorization: Bearer <token>` on every `/v1` request.
    public var apiToken: String
    /// Largest accepted upload (master or sidecar), in bytes.
    public var maxUploadBytes: Int
    /// How long an incomplete resumable upload is kept.
    public var uploadExpiry: Duration = .seconds(86_400)
    /// The first webhook retry's delay; each next one doubles (up to an hour) for a day.
    public var webhookRetryBase: Duration = .seconds(30)
    /// Take the viewer's address for IP-bound playback tokens from the last `X-Forwarded-For` entry (behind a reverse
    /// proxy that appends it, with Strata not reachable directly); otherwise the connection's peer.
    public var trustForwardedFor = false
    /// Jobs run at the same time. Each transcode already uses every core, so the default is one. With `databaseURL`,
    /// units this process runs from the shared queue besides serving (0: only `strata worker` processes run them).
    public var workers: Int
    /// `postgres://…` of a shared database: assets, jobs, uploads, webhooks and playback policies live there (not in
    /// `<data>/strata.sqlite`), so several API servers serve one library, and jobs run as units on `strata worker`
    /// processes.
    public var databaseURL: String?
    /// How long a unit of the shared database's queue stays held without a heartbeat.
    public var lease: Duration = .seconds(60)
    /// Files to upload as assets at start (if not already there), published once ready.
    public var imports: [URL]
    /// Header, idle and body timeouts and the connection cap.
    public var connections: ConnectionLimits

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL, profilesDirectory: URL, apiToken: String,
                maxUploadBytes: Int = 4 << 30, workers: Int = 1, imports: [URL] = [], connections: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.profilesDirectory = profilesDirectory
        self.apiToken = apiToken
        self.maxUploadBytes = maxUploadBytes
        self.workers = workers
        self.imports = imports
        self.connections = connections
    }

    /// Worker count that fits `cores`: one transcode at a time below 8 cores, then one per 8.
    public static func defaultWorkers(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(1, cores / 8)
    }
}

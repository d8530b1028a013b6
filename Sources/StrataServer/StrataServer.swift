import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataProfiles

/// The HTTP front: Hummingbird serving the operator API and player routes, with the job runner
/// alongside, shut down gracefully on SIGINT/SIGTERM.
public enum StrataServer {
    /// Runs until SIGINT or SIGTERM. `onListening` gets the actual bound address (useful with port 0).
    public static func run(_ configuration: ServerConfiguration, logger: Logger,
                           onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let files = try AssetFiles(root: configuration.dataDirectory)
        files.removeAbandonedUploads()
        let database = try ServerDatabase(path: files.database.path)
        let store = AssetStore(database: database, files: files)
        let published = PublishedPackages()
        for asset in try await store.assets() { published.refresh(asset, files: files) }
        let metrics = ServerMetrics.bootstrap()
        // With a shared queue, jobs run as units on workers; this process follows them and applies their results.
        var shared: SharedQueue?
        if let url = configuration.queueURL { shared = try await SharedQueue.open(url: url, logger: logger) }
        defer { shared?.close() }
        let jobs = JobRunner(store: store, executor: shared.map { QueuedUnits(queue: $0.queue, files: files, logger: logger) }, files: files,
                             published: published, workers: shared == nil ? configuration.workers : QueuedUnits.jobsFollowed,
                             logger: logger, metrics: metrics)
        let localWorkers: [any Service] = shared.flatMap { shared in
            guard configuration.workers > 0 else { return nil }
            return [WorkerRunner(queue: shared.queue, work: UnitWork(files: files, logger: logger), name: WorkerConfiguration.defaultName,
                                 slots: configuration.workers, lease: configuration.lease, logger: logger)]
        } ?? []
        let state = ServerState(store: store, files: files, published: published, jobs: jobs,
                                profiles: ProfileLibrary(directory: configuration.profilesDirectory),
                                viewers: ViewerLibrary(directory: configuration.viewersDirectory),
                                maxUploadBytes: configuration.maxUploadBytes, metrics: metrics, logger: logger)

        let tusUploads = try TusUploadStore(database: database, dataDirectory: files.root)
        let sweeper = ExpiredUploadSweeper(uploads: tusUploads, interval: min(.seconds(60), max(.seconds(1), configuration.uploadExpiry / 2)),
                                           logger: logger)

        let access = try PlaybackAccess(database: database, key: PlaybackSigningKey.load(dataDirectory: files.root),
                                        trustsForwardedFor: configuration.trustForwardedFor)

        let webhooks = WebhookDispatcher(store: SQLiteWebhookStore(database: database), retryBase: configuration.webhookRetryBase, logger: logger)

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestLogMiddleware(logger: logger))
        // Web players on other origins fetch manifests and segments; the API is usable from browsers too.
        router.add(middleware: CORSMiddleware(
            allowOrigin: .all,
            allowHeaders: [.range, .ifRange, .ifNoneMatch, .authorization, .contentType, .acceptEncoding] + TusProtocol.requestHeaders,
            allowMethods: [.get, .head, .options, .post, .put, .delete, .patch],
            exposedHeaders: ["Content-Length", "Content-Range", "Content-Encoding", "ETag", "Last-Modified", "Accept-Ranges"]
                + TusProtocol.responseHeaders, maxAge: .hours(1)))
        // Innermost, so every route's failure (and the router's 404) leaves as the documented JSON error.
        router.add(middleware: ErrorMiddleware(logger: logger))
        OperationsRoutes(state: state).add(to: router)
        StreamRoutes(state: state, access: access).add(to: router)
        ViewerPageRoutes(state: state, access: access).add(to: router)
        let api = router.group("v1").add(middleware: BearerTokenMiddleware(token: configuration.apiToken))
        AssetRoutes(state: state).add(to: api)
        ProfileRoutes(state: state).add(to: api)
        ViewerRoutes(state: state).add(to: api)
        PlaybackRoutes(state: state, access: access).add(to: api)
        WebhookRoutes(store: SQLiteWebhookStore(database: database)).add(to: api)
        let tus = TusRoutes(state: state, uploads: tusUploads, locks: UploadLocks(), expiry: configuration.uploadExpiry)
        tus.add(to: api)
        let direct = DirectUploadRoutes(tus: tus, database: database)
        direct.addAPI(to: api)
        direct.addPublic(to: router)

        let importer = Importer(configuration: configuration, state: state, logger: logger)
        let limits = configuration.connections
        let registry = ConnectionRegistry(maxConnections: limits.maxConnections, logger: logger)
        var app = Application(
            router: router,
            // Our handler times out heads, idle keep-alives and stalled bodies separately; Hummingbird's single idle timeout stays off.
            // Segment bodies go out by sendfile(2): see ZeroCopyHTTP1Channel.
            server: .zeroCopyHTTP1(configuration: .init(additionalChannelHandlers: [
                RequestTimeoutHandler(limits: limits, registry: registry, logger: logger), MalformedRequestResponder(),
            ])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "strata",
                                 availableConnectionsDelegate: RegistryConnectionGate(registry: registry)),
            services: [jobs, importer, sweeper, webhooks] + localWorkers,
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" }
                    ?? "\(configuration.host):\(configuration.port)"
                importer.listening(on: "http://\(address)")
                onListening("http://\(address)")
            },
            logger: logger)
        app.logger.logLevel = logger.logLevel
        try await app.runService()
    }
}

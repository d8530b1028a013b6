import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import StrataProfiles

/// The HTTP front: Hummingbird serving the operator API and player routes, with the job runner
/// alongside, shut down gracefully on SIGINT/SIGTERM.
public enum StrataServer {
    /// How long SIGINT/SIGTERM waits for running work to hand itself back before it is cancelled.
    public static let shutdownGrace: Duration = .seconds(30)

    /// Runs until SIGINT or SIGTERM. `onListening` gets the actual bound address (useful with port 0).
    public static func run(_ configuration: ServerConfiguration, logger: Logger,
                           onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let files = try AssetFiles(root: configuration.dataDirectory)
        // Alone on its folder, everything in uploads/ is abandoned; beside other API servers, only what nobody wrote to lately.
        files.removeAbandonedUploads(keepingChangesWithin: configuration.databaseURL == nil ? 0 : 3600)
        let published = PublishedPackages()
        let metrics = ServerMetrics.bootstrap()
        // With a shared database, assets and jobs live there: any API server takes uploads and follows jobs, whose
        // units run on workers; each server keeps its view of what is published in step with the others.
        var shared: SharedDatabase?
        if let url = configuration.databaseURL { shared = try await SharedDatabase.open(url: url, logger: logger) }
        defer { shared?.close() }
        let stores = try shared.map { ServerStores.shared($0, logger: logger) } ?? ServerStores.embedded(files)
        let store = stores.assets
        let access = try await PlaybackAccess(rows: stores.policies, key: PlaybackSigningKey.load(dataDirectory: files.root),
                                              trustsForwardedFor: configuration.trustForwardedFor)
        let jobs = JobRunner(store: store, queue: stores.jobs, executor: shared.map { QueuedUnits(queue: $0.queue, files: files, logger: logger) },
                             files: files, published: published, workers: shared == nil ? configuration.workers : QueuedUnits.jobsFollowed,
                             lease: configuration.lease, logger: logger, metrics: metrics)
        var background: [any Service] = []
        if let shared {
            background.append(SharedStateListener(client: shared.client, logger: logger, refresh: { id in
                if let asset = try await store.asset(id) { published.refresh(asset, files: files) } else { published.remove(id) }
                try await access.reload(asset: id)
            }, refreshAll: {
                published.replaceAll(with: try await store.assets(), files: files)
                try await access.reloadAll()
            }))
            if configuration.workers > 0 {
                background.append(WorkerRunner(queue: shared.queue, work: UnitWork(files: files, logger: logger), name: WorkerConfiguration.defaultName,
                                               slots: configuration.workers, lease: configuration.lease, logger: logger))
            }
        } else {
            published.replaceAll(with: try await store.assets(), files: files)
        }
        let state = ServerState(store: store, files: files, published: published, jobs: jobs,
                                profiles: ProfileLibrary(directory: configuration.profilesDirectory),
                                viewers: ViewerLibrary(directory: configuration.viewersDirectory),
                                maxUploadBytes: configuration.maxUploadBytes, metrics: metrics, logger: logger)

        let tusUploads = try TusUploadStore(rows: stores.tusUploads, dataDirectory: files.root)
        let sweeper = ExpiredUploadSweeper(uploads: tusUploads, interval: min(.seconds(60), max(.seconds(1), configuration.uploadExpiry / 2)),
                                           logger: logger)

        let webhooks = WebhookDispatcher(store: stores.webhooks, retryBase: configuration.webhookRetryBase, logger: logger)

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
        WebhookRoutes(store: stores.webhooks).add(to: api)
        let tus = TusRoutes(state: state, uploads: tusUploads, locks: UploadLocks(rows: tusUploads.rows), expiry: configuration.uploadExpiry)
        tus.add(to: api)
        let direct = DirectUploadRoutes(tus: tus, rows: stores.directUploads)
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
            services: [jobs, importer, sweeper, webhooks] + background,
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" }
                    ?? "\(configuration.host):\(configuration.port)"
                importer.listening(on: "http://\(address)")
                onListening("http://\(address)")
            },
            logger: logger)
        app.logger.logLevel = logger.logLevel
        var lifecycle = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A service that never notices the shutdown (one CI run saw the server hang on SIGTERM for over half an hour
        // after a queue outage) must not keep the process alive: cancel it after a grace period, and give up on it
        // (ServiceLifecycle stops the process with a fatal error; jobs are durable and resume at the next start) if
        // cancellation hangs too.
        lifecycle.maximumGracefulShutdownDuration = StrataServer.shutdownGrace
        lifecycle.maximumCancellationDuration = .seconds(10)
        try await ServiceGroup(configuration: lifecycle).run()
    }
}

import Foundation
import Hummingbird

/// `GET /healthz` for load balancers and `GET /metrics` for Prometheus.
struct OperationsRoutes: Sendable {
    let state: ServerState

    func add(to router: Router<BasicRequestContext>) {
        router.get("healthz", use: health)
        router.get("metrics", use: metrics)
    }

    @Sendable func health(_ request: Request, context: BasicRequestContext) async throws -> Response {
        do {
            let jobs = try await state.store.jobCounts()
            return try JSONResponse.make(HealthBody(status: "ok", queuedJobs: jobs[.queued] ?? 0, runningJobs: jobs[.running] ?? 0))
        } catch {
            // The error's text is for the operator's log, not for whoever polls this open route.
            state.logger.error("health check: the database is unavailable", metadata: ["error": "\(error)"])
            return try JSONResponse.make(HealthBody(status: "database unavailable", queuedJobs: 0, runningJobs: 0),
                                         status: .serviceUnavailable)
        }
    }

    @Sendable func metrics(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let counts = try await state.store.jobCounts()
        for job in [JobState.queued, .running, .done, .failed] {
            state.metrics.jobs(job.rawValue).record(counts[job] ?? 0)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: state.metrics.registry.emitToBuffer())))
    }

    struct HealthBody: Encodable {
        var status: String
        var queuedJobs: Int
        var runningJobs: Int
    }
}

import Foundation
import Logging
import StrataMedia

/// Runs units on workers: queues each in PostgreSQL and follows it until a worker has done it or it failed, passing
/// on its progress and playable seconds as workers report them. A queue that cannot be reached is retried.
struct QueuedUnits: UnitExecutor {
    let queue: PostgresJobQueue
    let logger: Logger

    /// How often the unit's row is read while it runs.
    static let pollInterval: Duration = .milliseconds(250)
    /// Jobs the API server follows at once (the workers decide how many run).
    static let jobsFollowed = 16

    func run(_ order: WorkOrder, source: String, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
        let started = ContinuousClock.now
        var unitID: Int64?
        var seen = UnitProgress(fraction: -1, playableSeconds: 0)
        while !cancellation.isCancelled {
            do {
                let id: Int64
                if let known = unitID {
                    id = known
                } else {
                    id = try await queue.enqueue(order.kind, asset: order.assetID, order: order.json, source: source)
                    unitID = id
                }
                guard let unit = try await queue.unit(id) else { break }
                if unit.progress != seen.fraction {
                    seen.fraction = unit.progress
                    progress(unit.progress)
                }
                if unit.playableSeconds > seen.playableSeconds {
                    seen.playableSeconds = unit.playableSeconds
                    playable(unit.playableSeconds)
                }
                switch unit.state {
                case "done":
                    return .success(UnitResult(factsJSON: unit.result ?? "", wallSeconds: (ContinuousClock.now - started).seconds))
                case "failed":
                    return .failure(TranscodeError(queueReason: unit.error ?? "the unit failed without a reason"))
                default: break
                }
            } catch {
                logger.log(level: queue.retryLevel(for: error, otherwise: .warning), "cannot follow the job's unit in the shared queue; retrying",
                           metadata: ["source": "\(source)", "error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: QueuedUnits.pollInterval)
        }
        return .failure(TranscodeError(.cancelled, "the job was cancelled"))
    }

    func units(of asset: String) async throws -> [WorkUnitSummary]? {
        try await queue.units(ofAsset: asset)
    }

    func abandon(source: String) async {
        do {
            try await queue.abandon(source: source, reason: "cancelled: the asset was deleted")
        } catch {
            logger.warning("cannot mark the deleted asset's unit failed", metadata: ["source": "\(source)", "error": "\(error)"])
        }
    }
}

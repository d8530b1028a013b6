import Foundation
import Logging
import StrataMedia

/// Where the API server's jobs run: in this process (`LocalUnits`), or on `strata worker` processes through the
/// shared PostgreSQL queue (`QueuedUnits`). Either way the job runner applies progress and results to its assets.
protocol UnitExecutor: Sendable {
    /// Runs `order` (`source` names the job that asked, so asking again after a restart finds the same unit).
    func run(_ order: WorkOrder, source: String, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError>
    /// The job's asset was deleted: its work must stop wherever it runs.
    func abandon(source: String) async
    /// The asset's units as the executor records them; nil when the server's own job table is the record.
    func units(of asset: String) async throws -> [WorkUnitSummary]?
}

/// Runs units on threads of this process.
struct LocalUnits: UnitExecutor {
    let work: UnitWork

    func run(_ order: WorkOrder, source: String, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
        await work.run(order, name: "strata.job.\(source)", cancellation: cancellation, progress: progress, playable: playable)
    }

    /// The cancellation that came with the deletion has already stopped the local work.
    func abandon(source: String) async {}

    func units(of asset: String) async throws -> [WorkUnitSummary]? { nil }
}

import Foundation
import StrataMedia
import StrataProfiles

/// The server's records of assets, their sidecars and its jobs, each operation one transaction: in the embedded
/// SQLite database (`SQLiteAssetStore`), or in PostgreSQL that several API servers share (`PostgresAssetStore`).
protocol AssetStore: Sendable {
    /// Records an uploaded master: queued with a transcode job, or failed when the probe found it unusable.
    func createAsset(id: String, title: String?, profile: EncodingProfile, masterSize: Int, problem: TranscodeError?) async throws -> AssetRecord
    func asset(_ id: String) async throws -> AssetRecord?
    /// Every asset, newest first.
    func assets() async throws -> [AssetRecord]
    func sidecars(of id: String) async throws -> [SidecarRecord]
    /// Records a stored sidecar file. A ready asset gets a repackage job now; a queued or processing one
    /// includes it when its transcode starts, or repackages right after it finishes.
    func addSidecar(_ sidecar: SidecarRecord) async throws -> SidecarRecord
    func setPublished(_ id: String, _ published: Bool) async throws -> AssetRecord?
    /// Removes the asset's rows (sidecars, jobs and policy go with it); the caller removes its files.
    func delete(_ id: String) async throws -> Bool
    /// Counts of the API servers' jobs by state, for metrics and the health check.
    func jobCounts() async throws -> [JobState: Int]
    /// The asset's jobs as work units, oldest first.
    func jobSummaries(of asset: String) async throws -> [WorkUnitSummary]
    /// Changes the asset in one transaction and returns it as changed (nil when it was deleted).
    @discardableResult
    func updateAsset(_ id: String, _ change: @escaping @Sendable (inout AssetRecord) -> Void) async throws -> AssetRecord?
    func pendingSidecars(of id: String) async throws -> [SidecarRecord]
    func markSidecars(_ ids: [Int64], state: SidecarState, error: String?) async throws
    /// Queues a repackage when sidecars arrived while the asset was being made.
    func enqueueRepackageIfPending(for id: String) async throws
}

extension AssetStore {
    func markSidecars(_ ids: [Int64], state: SidecarState) async throws {
        try await markSidecars(ids, state: state, error: nil)
    }
}

/// New record ids.
enum RecordID {
    /// A new random id: 20 characters of [a-z0-9].
    static func make() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<20).map { _ in alphabet.randomElement()! })
    }
}

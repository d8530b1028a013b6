import Foundation

/// Where resumable uploads' rows live: SQLite (`SQLiteTusUploadRows`, one server) or PostgreSQL
/// (`PostgresTusUploadRows`, several API servers sharing one database and one data folder).
///
/// Besides the upload's offset, a row holds its writer's lease: the one request allowed to append to the upload
/// (tus 1.0 §core: one PATCH at a time), whichever server it reached. A lease runs out unless renewed, so a server
/// that dies mid-PATCH does not keep the upload locked.
protocol TusUploadRows: Sendable {
    func insert(_ upload: TusUploadRecord) async throws
    func upload(_ id: String) async throws -> TusUploadRecord?
    /// Records a durable offset written by `writer`; false (nothing changed) when `writer` no longer holds the lease.
    func setOffset(_ id: String, _ offset: Int, writer: String) async throws -> Bool
    /// Records the asset the finished upload became.
    func complete(_ id: String, asset: String) async throws
    func remove(_ id: String) async throws
    /// Removes incomplete uploads whose expiry is before `now`, but not one a request is writing to right now (its
    /// lease runs), and returns their ids, each to one caller only.
    func removeExpired(before now: Date) async throws -> [String]
    /// Gives `holder` the writer's lease for `lease` from now; false while another holder's lease runs (or no such upload).
    func claimWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool
    /// Extends `holder`'s lease; false when it was lost (run out and taken by another, or the upload removed).
    func renewWriter(_ id: String, holder: String, lease: Duration) async throws -> Bool
    /// Ends `holder`'s lease, if it still holds it.
    func releaseWriter(_ id: String, holder: String) async throws
}

import Foundation

/// Where direct-upload URLs' rows live: SQLite (`SQLiteDirectUploadRows`) or PostgreSQL (`PostgresDirectUploadRows`).
protocol DirectUploadRows: Sendable {
    func insert(_ direct: DirectUploadRecord) async throws
    func directUpload(_ id: String) async throws -> DirectUploadRecord?
    /// Marks the URL used by tus upload `upload` in one atomic step; false when it was used already (by any server)
    /// or has expired. Of several concurrent claims exactly one succeeds.
    func claim(_ id: String, upload: String) async throws -> Bool
}

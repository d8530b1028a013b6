import Foundation
import GRDB

/// Where an asset is in its life.
public enum AssetStatus: String, Codable, Sendable {
    case queued, processing, ready, failed
}

/// One uploaded master and the package made from it (table `asset`).
struct AssetRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "asset"

    var id: String
    var title: String?
    var profileName: String
    /// The profile as it was when the asset was uploaded (JSON), so later edits do not change queued work.
    var profileJSON: String
    var status: AssetStatus
    var progress: Double
    var errorCode: String?
    var errorMessage: String?
    var published: Bool
    /// The package version players get (`v<N>` folder); 0 while there is none.
    var packageVersion: Int
    var masterSize: Int
    /// Facts of the current package version (JSON), for the API's renditions and tracks.
    var factsJSON: String?
    var createdAt: Date
    var updatedAt: Date
    /// Seconds of the package being made that players can watch (its playlists list them); 0 before.
    var playableSeconds: Double = 0

    /// True when the package has something to play: it is complete, or its job (running, or queued
    /// again after a restart) has already listed segments. A failed asset is never playable.
    var isPlayable: Bool {
        guard packageVersion > 0 else { return false }
        switch status {
        case .ready: return true
        case .queued, .processing: return playableSeconds > 0
        case .failed: return false
        }
    }
}

/// What a sidecar track is.
enum SidecarKind: String, Codable, Sendable {
    case audio, captions
}

/// Where a sidecar track is.
enum SidecarState: String, Codable, Sendable {
    /// Stored, waiting to be packaged.
    case pending
    /// In the current package.
    case packaged
    case failed
}

/// An extra audio or caption file sent for an asset (table `sidecar`).
struct SidecarRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "sidecar"

    var id: Int64?
    var assetID: String
    var kind: SidecarKind
    /// BCP 47.
    var language: String
    /// Audio role or caption kind.
    var variant: String
    var fileName: String
    var state: SidecarState
    var errorMessage: String?
    var createdAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// What a job does.
enum JobKind: String, Codable, Sendable {
    /// Make the package from the master.
    case transcode
    /// Add pending sidecars to a finished package.
    case repackage
    /// The steps of a transcode cut into chunks, units of the shared queue only: check the master and cut it,
    /// encode one chunk's video, encode the audio (and stills) whole, join everything into the package.
    case plan, chunk, audio, assemble

    /// True for the steps of a chunked transcode.
    var isChunkStep: Bool { [.plan, .chunk, .audio, .assemble].contains(self) }
}

enum JobState: String, Codable, Sendable {
    case queued, running, done, failed
}

/// A unit of work the job runner does, durable across restarts (table `job`).
struct JobRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "job"

    var id: Int64?
    var assetID: String
    var kind: JobKind
    var state: JobState
    var attempts: Int
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

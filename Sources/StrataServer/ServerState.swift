import Foundation
import Logging
import StrataProfiles

/// What every route handler shares: storage, the job runner, the published packages, settings.
struct ServerState: Sendable {
    let store: any AssetStore
    let files: AssetFiles
    let published: PublishedPackages
    let jobs: JobRunner
    let profiles: ProfileLibrary
    let viewers: ViewerLibrary
    let maxUploadBytes: Int
    let metrics: ServerMetrics
    let logger: Logger
}

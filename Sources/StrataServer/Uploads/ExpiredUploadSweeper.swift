import Foundation
import Logging
import ServiceLifecycle

/// Removes incomplete resumable uploads once they expire, checking every `interval`.
struct ExpiredUploadSweeper: Service {
    let uploads: TusUploadStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Cancellation (at shutdown) ends the loop; it is not a failure of the server.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await uploads.removeExpired()
                    if !removed.isEmpty { logger.info("expired uploads removed", metadata: ["uploads": "\(removed)"]) }
                } catch {
                    logger.error("cannot remove expired uploads", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

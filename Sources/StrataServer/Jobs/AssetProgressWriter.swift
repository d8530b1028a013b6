import Foundation
import Logging

/// Writes a running transcode's progress and playable seconds to its asset one write at a time, in order, skipping
/// values overtaken while a write was on its way (a database across the network must not see 0.4 after 0.5).
/// `finish()` waits for the last write, so none lands after the job's outcome.
final class AssetProgressWriter: Sendable {
    /// What the job reported last, not yet necessarily written.
    private let latest: LatestProgress
    private let signal: AsyncStream<Void>.Continuation
    private let writer: Task<Void, Never>

    /// - Parameter playable: called with the asset as changed when more of its package became watchable.
    init(asset id: String, store: any AssetStore, logger: Logger, playable: @escaping @Sendable (AssetRecord) -> Void) {
        let (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let latest = LatestProgress()
        self.latest = latest
        self.signal = signal
        writer = Task {
            var written = UnitProgress()
            for await _ in signals {
                let now = latest.value
                guard now != written else { continue }
                let morePlayable = now.playableSeconds > written.playableSeconds
                do {
                    let updated = try await store.updateAsset(id) { asset in
                        asset.progress = now.fraction
                        if morePlayable {
                            asset.playableSeconds = now.playableSeconds
                            asset.packageVersion = 1
                        }
                    }
                    written = now
                    if morePlayable, let updated { playable(updated) }
                } catch {
                    logger.warning("cannot record the job's progress", metadata: ["asset": "\(id)", "error": "\(String(reflecting: error))"])
                }
            }
        }
    }

    func progress(_ fraction: Double) {
        latest.update { $0.fraction = fraction }
        signal.yield()
    }

    /// More segments are listed: players of a published asset may start (or go on) now.
    func playable(_ seconds: Double) {
        latest.update { $0.playableSeconds = max($0.playableSeconds, seconds) }
        signal.yield()
    }

    /// Waits for the writes asked for so far.
    func finish() async {
        signal.finish()
        await writer.value
    }
}

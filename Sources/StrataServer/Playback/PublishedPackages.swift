import Foundation
import Synchronization

/// The package folder players get for each published, ready asset.
///
/// Kept in memory so serving a segment needs no database query; changed only when an asset is
/// published, unpublished, re-packaged or deleted — one assignment, so the switch is atomic.
final class PublishedPackages: Sendable {
    private let folders = Mutex<[String: URL]>([:])

    /// The asset's package folder, with symbolic links already resolved (so requests need not redo it).
    func folder(for asset: String) -> URL? {
        folders.withLock { $0[asset] }
    }

    /// Makes the asset visible to players exactly when it is published, ready and has a package.
    func refresh(_ asset: AssetRecord, files: AssetFiles) {
        let visible = asset.published && asset.status == .ready && asset.packageVersion > 0
        let folder = visible ? files.package(of: asset.id, version: asset.packageVersion).resolvingSymlinksInPath() : nil
        folders.withLock { $0[asset.id] = folder }
    }

    func remove(_ asset: String) {
        _ = folders.withLock { $0.removeValue(forKey: asset) }
    }
}

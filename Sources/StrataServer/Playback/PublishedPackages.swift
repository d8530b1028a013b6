import Foundation
import Synchronization

/// The package folder players get for each published, ready asset.
///
/// Kept in memory so serving a segment needs no database query; changed only when an asset is
/// published, unpublished, re-packaged or deleted — one assignment, so the switch is atomic.
final class PublishedPackages: Sendable {
    private let folders = Mutex<[String: URL]>([:])
    /// Assets whose package is still being made: their manifests change every segment.
    private let growing = Mutex<Set<String>>([])

    /// The asset's package folder, with symbolic links already resolved (so requests need not redo it).
    func folder(for asset: String) -> URL? {
        folders.withLock { $0[asset] }
    }

    /// True while the asset's package grows (its playlists are EVENT playlists, its MPD dynamic).
    func isGrowing(_ asset: String) -> Bool {
        growing.withLock { $0.contains(asset) }
    }

    /// Makes the asset visible to players exactly when it is published and playable: complete, or
    /// being made with segments listed already. A failed asset disappears.
    func refresh(_ asset: AssetRecord, files: AssetFiles) {
        let visible = asset.published && asset.isPlayable
        let folder = visible ? files.package(of: asset.id, version: asset.packageVersion).resolvingSymlinksInPath() : nil
        growing.withLock { growing in
            if visible && asset.status != .ready { growing.insert(asset.id) } else { growing.remove(asset.id) }
        }
        folders.withLock { $0[asset.id] = folder }
    }

    /// Makes the view exactly `assets` (read again after another API server may have changed them).
    func replaceAll(with assets: [AssetRecord], files: AssetFiles) {
        let known = Set(assets.map(\.id))
        for gone in folders.withLock({ Array($0.keys) }) where !known.contains(gone) { remove(gone) }
        for asset in assets { refresh(asset, files: files) }
    }

    func remove(_ asset: String) {
        _ = folders.withLock { $0.removeValue(forKey: asset) }
        _ = growing.withLock { $0.remove(asset) }
    }
}

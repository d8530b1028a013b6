import Foundation

/// The server's files under its data folder:
///
///     <data>/strata.sqlite                 the database
///     <data>/uploads/<random>              an upload being received (gone if it fails)
///     <data>/assets/<id>/master            the uploaded master
///     <data>/assets/<id>/sidecars/<n>-…    sidecar audio and caption files
///     <data>/assets/<id>/v<N>/             package version N (players get the current one)
struct AssetFiles: Sendable {
    let root: URL

    init(root: URL) throws {
        self.root = root.standardizedFileURL
        for folder in [uploads, assets] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    var database: URL { root.appendingPathComponent("strata.sqlite") }
    var uploads: URL { root.appendingPathComponent("uploads") }
    var assets: URL { root.appendingPathComponent("assets") }

    func folder(of asset: String) -> URL { assets.appendingPathComponent(asset) }
    func master(of asset: String) -> URL { folder(of: asset).appendingPathComponent("master") }
    func sidecars(of asset: String) -> URL { folder(of: asset).appendingPathComponent("sidecars") }
    func package(of asset: String, version: Int) -> URL { folder(of: asset).appendingPathComponent("v\(version)") }

    /// A new, unique path for an upload in progress.
    func newUpload() -> URL { uploads.appendingPathComponent(UUID().uuidString) }

    /// `message` with this folder's absolute path taken out, so errors shown to API clients name files
    /// relative to the data folder (`assets/<id>/master`), not the server's layout.
    func withoutRoot(_ message: String) -> String {
        message.replacingOccurrences(of: root.path + "/", with: "")
    }

    /// Removes uploads left by a server that stopped mid-upload. API servers sharing the folder keep the files
    /// changed within `recent`: another server may be receiving them (a live upload writes at least once per body
    /// timeout).
    func removeAbandonedUploads(keepingChangesWithin recent: TimeInterval = 0) {
        let cutoff = Date().addingTimeInterval(-recent)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? [] {
            let file = uploads.appendingPathComponent(name)
            let changed = (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
            if recent == 0 || changed < cutoff { try? FileManager.default.removeItem(at: file) }
        }
    }
}

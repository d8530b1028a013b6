import Foundation

/// The shape of a package for comparing two runs: every served file by relative path, then each media
/// playlist's segment durations. Hidden files and the facts file are left out.
public enum PackageStructure {
    public static func describe(_ package: URL) throws -> [String] {
        let manager = FileManager.default
        let files = (manager.enumerator(atPath: package.path)?.allObjects as? [String] ?? []).filter { path in
            var directory: ObjCBool = false
            _ = manager.fileExists(atPath: package.appendingPathComponent(path).path, isDirectory: &directory)
            return !directory.boolValue && !path.hasSuffix("package.json") && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
        let playlists = try files.filter { $0.hasSuffix("index.m3u8") }.map { path in
            "\(path): " + (try MediaPlaylistFile(contentsOf: package.appendingPathComponent(path))).entries
                .map { String(format: "%.3f", $0.duration) }.joined(separator: ",")
        }
        return files + playlists
    }
}

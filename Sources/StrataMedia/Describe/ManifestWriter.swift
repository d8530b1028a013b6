import Foundation
import StrataManifest

/// Writes the HLS playlists, the DASH MPD and a machine-readable record of the package's facts.
enum ManifestWriter {
    /// File holding the package's facts as JSON, for tools that add tracks later without re-encoding.
    static let factsFile = "package.json"

    /// Writes every manifest for `facts` under `root`: the final ones and the facts file, or while the
    /// package is still `growing`, EVENT playlists and a dynamic MPD.
    static func write(_ facts: PackageFacts, growing: GrowingPackage? = nil, to root: URL) throws {
        let hls = HLSPresentation(facts: facts, growing: growing)
        for (path, playlist) in hls.mediaPlaylists.sorted(by: { $0.key < $1.key }) {
            try write(playlist.render(), to: root.appendingPathComponent(path))
        }
        try write(DASHManifest(facts: facts, growing: growing).render(), to: root.appendingPathComponent(DASHManifest.path))
        if growing == nil {
            for crop in facts.crops ?? [] {
                try writeCrop(crop, of: facts, to: root)
            }
            try writeJSON(facts, to: root.appendingPathComponent(factsFile))
        }
        // The master playlist last: it is what makes the package playable.
        try write(hls.master.render(), to: root.appendingPathComponent(HLSPresentation.masterPath))
    }

    /// Writes a smart-crop presentation's HLS playlists and MPD in its folder. The shared audio and caption
    /// playlists (reached as `../../audio/…`) are the package's own and are not written again.
    private static func writeCrop(_ crop: CropFacts, of facts: PackageFacts, to root: URL) throws {
        let folder = root.appendingPathComponent(crop.directory)
        let presentation = facts.presentation(of: crop)
        let hls = HLSPresentation(facts: presentation)
        for (path, playlist) in hls.mediaPlaylists.sorted(by: { $0.key < $1.key }) where !path.hasPrefix("../") {
            try write(playlist.render(), to: folder.appendingPathComponent(path))
        }
        try write(DASHManifest(facts: presentation).render(), to: folder.appendingPathComponent(DASHManifest.path))
        try write(hls.master.render(), to: folder.appendingPathComponent(HLSPresentation.masterPath))
    }

    /// Reads the facts of a finished package.
    static func readFacts(in root: URL) throws(TranscodeError) -> PackageFacts {
        let url = root.appendingPathComponent(factsFile)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TranscodeError(.output, "'\(root.path)' is not a Strata package (no \(factsFile))")
        }
        do {
            return try JSONDecoder().decode(PackageFacts.self, from: data)
        } catch {
            throw TranscodeError(.output, "cannot read '\(url.path)': \(error)")
        }
    }

    /// Writes `value` as JSON by renaming a new file over the old one.
    static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: url, options: .atomic)
    }

    /// Writes by renaming a new file over the old one: never rewrites a file in place, because a package
    /// being re-packaged shares its files (hard links) with the version players are reading.
    private static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

import Foundation

/// The profiles an operator keeps in a folder (`Profiles/` by default), one file per profile.
public struct ProfileLibrary: Sendable {
    /// File extensions a profile file may have, in lookup order.
    public static let extensions = ["yaml", "yml", "json"]

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Names of the profiles in the folder, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let names = files.compactMap { file -> String? in
            let url = URL(fileURLWithPath: file)
            let name = url.deletingPathExtension().lastPathComponent
            return Self.extensions.contains(url.pathExtension) && ProfileName.isValid(name) ? name : nil
        }
        return Array(Set(names)).sorted()
    }

    /// The file holding profile `name`, if there is one; nil for anything that is not a plain name
    /// (`ProfileName`), so `../elsewhere/x` never reaches a file outside the folder.
    public func file(named name: String) -> URL? {
        guard ProfileName.isValid(name) else { return nil }
        for ext in Self.extensions {
            let url = directory.appendingPathComponent("\(name).\(ext)")
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    /// Loads profile `name` from the folder.
    public func load(named name: String) throws(ProfileError) -> EncodingProfile {
        guard ProfileName.isValid(name) else {
            throw ProfileError(source: directory.path, keyPath: "", reason: "'\(name)' is not a profile name; use \(ProfileName.rule)")
        }
        guard let url = file(named: name) else {
            let known = names()
            let hint = known.isEmpty ? "the folder has no profiles" : "known profiles: \(known.joined(separator: ", "))"
            throw ProfileError(source: directory.path, keyPath: "",
                               reason: "no profile named '\(name)' (\(hint)); pass a file path to use another")
        }
        return try ProfileParser.load(contentsOf: url.path)
    }

    /// Loads `nameOrPath`: a file path when it names an existing file or has a profile extension, else a name in the folder.
    public func resolve(_ nameOrPath: String) throws(ProfileError) -> EncodingProfile {
        let looksLikePath = nameOrPath.contains("/") || Self.extensions.contains(URL(fileURLWithPath: nameOrPath).pathExtension)
        if looksLikePath || (FileManager.default.fileExists(atPath: nameOrPath) && file(named: nameOrPath) == nil) {
            return try ProfileParser.load(contentsOf: nameOrPath)
        }
        return try load(named: nameOrPath)
    }
}

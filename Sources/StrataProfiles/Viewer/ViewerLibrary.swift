import Foundation

/// The viewer presets an operator keeps in a folder (`Viewers/` by default), one YAML or JSON file per preset.
public struct ViewerLibrary: Sendable {
    /// The preset used when a page names none and the folder has no `default` file.
    public static let builtInDefault = ViewerPreset(name: "default")

    /// Same folder rules as profiles: `NAME.yaml`, `NAME.yml` or `NAME.json`.
    private let folder: ProfileLibrary

    public var directory: URL { folder.directory }

    public init(directory: URL) {
        folder = ProfileLibrary(directory: directory)
    }

    /// Names of the presets in the folder, sorted.
    public func names() -> [String] { folder.names() }

    /// The file holding preset `name`, if there is one.
    public func file(named name: String) -> URL? { folder.file(named: name) }

    /// Loads preset `name`; `default` falls back to the built-in look when the folder has no such file.
    public func load(named name: String) throws(ProfileError) -> ViewerPreset {
        guard let url = file(named: name) else {
            if name == Self.builtInDefault.name { return Self.builtInDefault }
            throw ProfileError(source: directory.path, keyPath: "", reason: "no viewer preset named '\(name)'")
        }
        return try ViewerPresetParser.load(contentsOf: url.path)
    }
}

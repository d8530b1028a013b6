import Foundation
import StrataManifest
import Yams

/// Reads viewer presets from YAML or JSON as strictly as profiles: unknown keys, wrong types and
/// impossible values are refused with the source, line, key path and reason.
public enum ViewerPresetParser {
    static let topKeys = ["name", "description", "accent_color", "logo", "controls", "autoplay", "muted", "loop",
                          "audio", "captions", "playback_speeds", "start_time", "presentation"]
    static let audioKeys = ["language"]
    static let captionsKeys = ["enabled", "language"]

    /// Parses `text`; `defaultName` (e.g. the file's base name) is used when the document has no `name`.
    public static func parse(_ text: String, source: String, defaultName: String? = nil) throws(ProfileError) -> ViewerPreset {
        let document = try DocumentNode.compose(text, source: source)
        let top = try document.mapping(allowedKeys: topKeys)
        let name: String
        if let node = top["name"] {
            name = try node.string()
            try ProfileParser.validateName(name, node)
        } else if let defaultName {
            name = defaultName
            try ProfileParser.validateName(name, document)
        } else {
            throw document.error("missing required key 'name'")
        }
        var preset = ViewerPreset(name: name, description: try top["description"]?.string())
        if let node = top["accent_color"] { preset.accentColor = try colour(node) }
        if let node = top["logo"] { preset.logo = try logoURL(node) }
        if let node = top["controls"] { preset.controls = try controls(node) }
        if let node = top["autoplay"] { preset.autoplay = try node.boolean() }
        if let node = top["muted"] { preset.muted = try node.boolean() }
        if let node = top["loop"] { preset.loop = try node.boolean() }
        if let node = top["audio"] {
            let audio = try node.mapping(allowedKeys: audioKeys)
            preset.audioLanguage = try audio["language"].map(language)
        }
        if let node = top["captions"] {
            let captions = try node.mapping(allowedKeys: captionsKeys)
            preset.captionsEnabled = try captions["enabled"]?.boolean() ?? false
            preset.captionsLanguage = try captions["language"].map(language)
        }
        if let node = top["playback_speeds"] { preset.playbackSpeeds = try speeds(node) }
        if let node = top["start_time"] { preset.startTime = try node.number(in: 0...86_400) }
        if let node = top["presentation"] { preset.presentation = try node.choice(ViewerPreset.Presentation.self) }
        if preset.autoplay && !preset.muted {
            // Browsers block autoplay with sound; a preset that asks for it would silently not start.
            throw (top["muted"] ?? top["autoplay"]!).error("autoplay needs muted: true; browsers refuse to start playback with sound")
        }
        return preset
    }

    /// Loads the preset file at `path`; its name defaults to the file's base name.
    public static func load(contentsOf path: String) throws(ProfileError) -> ViewerPreset {
        let text = try DocumentNode.readText(path)
        return try parse(text, source: path, defaultName: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    }

    private static func colour(_ node: DocumentNode) throws(ProfileError) -> String {
        let text = try node.string()
        let hex = text.dropFirst()
        guard text.first == "#", hex.count == 3 || hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
            throw node.error("'\(text)' is not a colour; use #rrggbb or #rgb, e.g. #e0457b")
        }
        return text.lowercased()
    }

    private static func logoURL(_ node: DocumentNode) throws(ProfileError) -> String {
        let text = try node.string()
        let lowered = text.lowercased()
        let schemeOK = lowered.hasPrefix("https://") || lowered.hasPrefix("http://") || (text.hasPrefix("/") && !text.hasPrefix("//"))
        // Characters that could end an HTML attribute or a CSS url() are refused outright, escaping aside.
        let clean = text.count <= 2048 && !text.contains { $0.isWhitespace || "\"'<>\\()`".contains($0) }
        guard schemeOK, clean, URL(string: text) != nil else {
            throw node.error("'\(text)' is not a usable logo URL; use an https:// URL or a path on this site such as /brand/logo.svg")
        }
        return text
    }

    private static func controls(_ node: DocumentNode) throws(ProfileError) -> [ViewerPreset.Control] {
        var chosen: [ViewerPreset.Control] = []
        for item in try node.sequence() {
            let control = try item.choice(ViewerPreset.Control.self)
            if chosen.contains(control) { throw item.error("'\(control.rawValue)' is listed twice") }
            chosen.append(control)
        }
        // The bar's order is fixed so every page reads the same way.
        return ViewerPreset.Control.allCases.filter(chosen.contains)
    }

    private static func language(_ node: DocumentNode) throws(ProfileError) -> String {
        let code = try node.string()
        guard let tag = LanguageTag.bcp47(code), tag != "und" else {
            throw node.error("'\(code)' is not a language code Strata knows; use ISO 639 codes such as en, es, fra, deu")
        }
        return tag
    }

    private static func speeds(_ node: DocumentNode) throws(ProfileError) -> [Double] {
        let items = try node.sequence()
        guard (1...10).contains(items.count) else { throw node.error("list 1–10 speeds, e.g. [0.5, 1, 1.5, 2]") }
        var speeds: [Double] = []
        for item in items {
            let speed = try item.number(in: 0.25...4)
            if speeds.contains(speed) { throw item.error("\(speed) is listed twice") }
            speeds.append(speed)
        }
        guard speeds.contains(1) else { throw node.error("include 1 (normal speed) so viewers can go back to it") }
        return speeds.sorted()
    }
}

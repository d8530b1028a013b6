import Foundation
import Mustache
import StrataProfiles

/// The viewer's Mustache templates and static files, read once from the module's resources.
/// Mustache's `{{value}}` HTML-escapes every value; the templates use no triple braces.
struct ViewerTemplates: Sendable {
    /// A static file of the page: its text and content type.
    struct StaticFile: Sendable {
        var text: String
        var contentType: String
    }

    static let shared = ViewerTemplates()

    let library: MustacheLibrary
    let assets: [String: StaticFile]

    private init() {
        func resource(_ name: String) -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources"),
                  let text = try? String(contentsOf: url, encoding: .utf8) else {
                fatalError("the viewer resource \(name) is missing from the build")
            }
            return text
        }
        var templates: [String: MustacheTemplate] = [:]
        for name in ["page", "oembed-iframe"] {
            do {
                templates[name] = try MustacheTemplate(string: resource("\(name).mustache"))
            } catch {
                fatalError("the viewer template \(name).mustache does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
        var files: [String: StaticFile] = [:]
        for name in ["player.js", "engines.js", "storyboard.js"] {
            files[name] = StaticFile(text: resource(name), contentType: "text/javascript; charset=utf-8")
        }
        files["player.css"] = StaticFile(text: resource("player.css"), contentType: "text/css; charset=utf-8")
        assets = files
    }

    /// The `/watch` or `/embed` page for `configuration`.
    func page(_ configuration: PlayerConfiguration, preset: ViewerPreset, embedded: Bool, pageURL: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        let context: [String: Any] = [
            "title": configuration.title,
            "embedded": embedded,
            "accent": preset.accentColor,
            "logo": preset.logo ?? "",
            "hasLogo": preset.logo != nil,
            "poster": configuration.poster ?? "",
            "hasPoster": configuration.poster != nil,
            "configuration": json,
            "hlsSource": configuration.hlsSource,
            "dashSource": configuration.dashSource,
            "oembedURL": pageURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
        ]
        return library.render(context, withTemplate: "page") ?? ""
    }

    /// The `<iframe>` HTML of an oEmbed answer.
    func iframe(source: String, title: String, width: Int, height: Int) -> String {
        let context: [String: Any] = ["source": source, "title": title, "width": width, "height": height]
        return (library.render(context, withTemplate: "oembed-iframe") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

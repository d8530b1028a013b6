import Foundation
import Hummingbird
import StrataProfiles

/// `/v1/viewers`: operators list, read, define and remove viewer presets (files in the viewers folder).
struct ViewerRoutes: Sendable {
    let state: ServerState

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("viewers", use: list)
        group.get("viewers/:name", use: show)
        group.put("viewers/:name", use: save)
        group.delete("viewers/:name", use: remove)
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let library = state.viewers
        var names = library.names()
        if !names.contains(ViewerLibrary.builtInDefault.name) { names.insert(ViewerLibrary.builtInDefault.name, at: 0) }
        return try JSONResponse.make(["viewers": names.compactMap { try? library.load(named: $0) }])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try Self.validName(context)
        let preset: ViewerPreset
        do {
            preset = try state.viewers.load(named: name)
        } catch {
            guard state.viewers.file(named: name) != nil else { throw APIError.notFound("viewer preset \(name)") }
            throw APIError(.unprocessableContent, "invalid_viewer", error.description)
        }
        return try JSONResponse.make(preset)
    }

    /// `PUT /v1/viewers/{name}` with YAML or JSON: validated like a file, then stored as one.
    @Sendable func save(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try Self.validName(context)
        let text = String(buffer: try await request.body.collect(upTo: 64 * 1024))
        let preset: ViewerPreset
        do {
            preset = try ViewerPresetParser.parse(text, source: "request body", defaultName: name)
        } catch {
            throw APIError(.unprocessableContent, "invalid_viewer", error.description)
        }
        guard preset.name == name else {
            throw APIError(.unprocessableContent, "invalid_viewer", "request body: name: '\(preset.name)' does not match the URL's '\(name)'")
        }
        let directory = state.viewers.directory
        let existed = state.viewers.file(named: name) != nil
        let isJSON = text.drop { $0.isWhitespace }.first == "{"
        do {
            for ext in ProfileLibrary.extensions {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(name).\(ext)"))
            }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: directory.appendingPathComponent("\(name).\(isJSON ? "json" : "yaml")"), options: .atomic)
        } catch {
            throw APIError(.internalServerError, "storage", "cannot store the viewer preset: \(error.localizedDescription)")
        }
        return try JSONResponse.make(preset, status: existed ? .ok : .created)
    }

    @Sendable func remove(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try Self.validName(context)
        guard let file = state.viewers.file(named: name) else { throw APIError.notFound("viewer preset \(name)") }
        try FileManager.default.removeItem(at: file)
        return Response(status: .noContent)
    }

    /// The `:name` parameter if it is a name (letters, digits, `-`, `_`), never a path.
    static func validName(_ context: BasicRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard isName(name) else { throw APIError.badRequest("'\(name)' is not a usable viewer preset name; use 1–64 letters, digits, '-' or '_'") }
        return name
    }

    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.first != "-"
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

import Foundation
import Hummingbird
import StrataProfiles

/// `/v1/profiles`: operators list, read, define and remove encoding profiles (files in the profiles folder).
struct ProfileRoutes: Sendable {
    let state: ServerState

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("profiles", use: list)
        group.get("profiles/:name", use: show)
        group.put("profiles/:name", use: save)
        group.delete("profiles/:name", use: remove)
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let library = state.profiles
        let profiles = library.names().compactMap { try? library.load(named: $0) }
        return try JSONResponse.make(["profiles": profiles])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(try state.storedProfile(named: context.parameters.get("name") ?? ""))
    }

    /// `PUT /v1/profiles/{name}` with YAML or JSON: validated like a file, then stored as one.
    @Sendable func save(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try validName(context)
        let body = try await request.body.collect(upTo: 256 * 1024)
        let text = String(buffer: body)
        let profile: EncodingProfile
        do {
            profile = try ProfileParser.parse(text, source: "request body", defaultName: name)
        } catch {
            throw APIError(.unprocessableContent, "invalid_profile", error.description)
        }
        guard profile.name == name else {
            throw APIError(.unprocessableContent, "invalid_profile", "request body: name: '\(profile.name)' does not match the URL's '\(name)'")
        }
        let isJSON = text.drop { $0.isWhitespace }.first == "{"
        let existed = state.profiles.file(named: name) != nil
        do {
            for ext in ProfileLibrary.extensions {
                try? FileManager.default.removeItem(at: state.profiles.directory.appendingPathComponent("\(name).\(ext)"))
            }
            try FileManager.default.createDirectory(at: state.profiles.directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: state.profiles.directory.appendingPathComponent("\(name).\(isJSON ? "json" : "yaml")"), options: .atomic)
        } catch {
            state.logger.error("cannot store a profile", metadata: ["profile": "\(name)", "error": "\(error)"])
            throw APIError.unexpected(error)
        }
        return try JSONResponse.make(profile, status: existed ? .ok : .created)
    }

    @Sendable func remove(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = try validName(context)
        guard let file = state.profiles.file(named: name) else { throw APIError.notFound("profile \(name)") }
        try FileManager.default.removeItem(at: file)
        return Response(status: .noContent)
    }

    private func validName(_ context: BasicRequestContext) throws -> String {
        try ServerState.profileName(context.parameters.get("name") ?? "")
    }
}

import Foundation
import Hummingbird
import StrataManifest
import StrataProfiles

/// The viewer: `GET /watch/{asset}` (a full page), `GET /embed/{asset}` (fills an iframe),
/// `GET /watch/{asset}/master.m3u8` (the playlist the native engine plays), the page's own CSS and
/// JavaScript under `/viewer/assets/`, and `GET /oembed`. Only published, ready assets; a `signed` one needs a
/// playback token (`?token=`), and the page then plays through `/stream/{id}/t/{token}/…`.
struct ViewerPageRoutes: Sendable {
    let state: ServerState
    let access: PlaybackAccess
    let templates: ViewerTemplates

    init(state: ServerState, access: PlaybackAccess) {
        self.state = state
        self.access = access
        templates = ViewerTemplates.shared
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("watch/:id", use: { request, context in try await page(request, context, embedded: false) })
        router.get("embed/:id", use: { request, context in try await page(request, context, embedded: true) })
        router.get("watch/:id/master.m3u8", use: nativePlaylist)
        router.get("watch/:id/t/:token/master.m3u8", use: nativePlaylist)
        router.get("viewer/assets/:file", use: asset)
        router.get("oembed", use: OEmbed(state: state, access: access).respond)
    }

    /// A published, ready asset's package: its folder, facts and title (404 for anything else).
    static func package(_ id: String, state: ServerState) async throws -> (folder: URL, facts: PackageFacts, title: String) {
        guard let folder = state.published.folder(for: id) else { throw APIError.notFound("a published asset '\(id)'") }
        let data: Data
        do {
            data = try Data(contentsOf: folder.appendingPathComponent("package.json"))
        } catch {
            throw APIError.notFound("a published asset '\(id)'")
        }
        let facts = try JSONDecoder().decode(PackageFacts.self, from: data)
        let title = try await state.store.asset(id)?.title ?? "Strata video"
        return (folder, facts, title)
    }

    func page(_ request: Request, _ context: BasicRequestContext, embedded: Bool) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let overrides = try PageOverrides(request.uri.queryParameters.reduce(into: [:]) { $0[String($1.key)] = String($1.value) })
        // The token is checked before the package is read: an unpublished asset is 404 for everyone, a published
        // signed one tells a caller without a valid token nothing more than that.
        guard state.published.folder(for: id) != nil else { throw APIError.notFound("a published asset '\(id)'") }
        do {
            try access.authorize(asset: id, token: overrides.token.map { Substring($0) }, request: request)
        } catch {
            return ViewerErrorPage.response(error)
        }
        let (folder, facts, title) = try await Self.package(id, state: state)
        let presetName = overrides.viewer ?? ViewerLibrary.builtInDefault.name
        let preset: ViewerPreset
        do {
            preset = try state.viewers.load(named: presetName)
        } catch {
            guard state.viewers.file(named: presetName) != nil || presetName == ViewerLibrary.builtInDefault.name else {
                throw APIError.notFound("viewer preset \(presetName)")
            }
            throw APIError(.internalServerError, "invalid_viewer", error.description)
        }
        let configuration = PlayerConfiguration(asset: id, token: overrides.token, title: title, facts: facts, preset: preset,
                                                overrides: overrides, thumbnails: PackageThumbnails(folder: folder))
        let pageURL = "http://\(request.head.authority ?? "127.0.0.1")/watch/\(id)"
        let html = try templates.page(configuration, preset: preset, embedded: embedded, pageURL: pageURL)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"]
        // The embed is meant for other sites' iframes; the full page is not.
        if !embedded { headers[.init("X-Frame-Options")!] = "SAMEORIGIN" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The master playlist for the native engine: one chosen audio track (the browser's HLS cannot switch
    /// audio by script), all rungs or one (`?video=ID`), no subtitle renditions (the page shows the WebVTT
    /// files itself). Rendered from the package's facts like the package's own master playlist.
    @Sendable func nativePlaylist(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let token = context.parameters.get("token")
        try access.authorize(asset: id, token: token.map { Substring($0) }, request: request)
        var facts = try await Self.package(id, state: state).facts
        let query = request.uri.queryParameters
        if let rung = query["video"].map(String.init), rung != "auto" {
            guard facts.video.contains(where: { $0.id == rung }) else { throw APIError.notFound("video rendition '\(rung)'") }
            facts.video.removeAll { $0.id != rung }
        }
        if let audio = query["audio"].map(String.init) {
            guard facts.audio.contains(where: { $0.id == audio }) else { throw APIError.notFound("audio track '\(audio)'") }
            facts.audio = facts.audio.filter { $0.id == audio }.map { var track = $0; track.isDefault = true; return track }
        }
        facts.subtitles = []
        let base = token.map { "/stream/\(id)/t/\($0)/" } ?? "/stream/\(id)/"
        let playlist = NativePlaylist.absolute(HLSPresentation(facts: facts).master.render(), base: base)
        return Response(status: .ok, headers: [.contentType: "application/vnd.apple.mpegurl", .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(string: playlist)))
    }

    /// The page's own CSS and JavaScript, by name from a fixed list (never a path).
    @Sendable func asset(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let name = context.parameters.get("file") ?? ""
        guard let file = templates.assets[name] else { throw APIError.notFound("viewer asset '\(name)'") }
        return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: file.text)))
    }
}

/// Makes a master playlist's relative URIs absolute, so it can be served from another path than the package.
enum NativePlaylist {
    static func absolute(_ playlist: String, base: String) -> String {
        playlist.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.isEmpty { return "" }
            if !line.hasPrefix("#") { return base + line }
            return line.replacingOccurrences(of: "URI=\"", with: "URI=\"\(base)")
        }.joined(separator: "\n")
    }
}

import Foundation
import Hummingbird

/// `GET|HEAD /stream/{id}/…`: manifests, segments and captions of published assets, for players.
/// `/stream/{id}/t/{token}/…` carries a signed-playback token; a `signed` asset needs one (403 otherwise).
/// Anything unpublished, unfinished or unknown is 404.
struct StreamRoutes: Sendable {
    let state: ServerState
    let access: PlaybackAccess

    func add(to router: Router<BasicRequestContext>) {
        router.get("stream/:id/**", use: serve)
        router.head("stream/:id/**", use: serve)
    }

    @Sendable func serve(_ request: Request, context: BasicRequestContext) async throws -> Response {
        // The raw path, still percent-encoded: decoding is PackagePath's job, so no spelling of '..' slips by.
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard segments.count >= 3, segments.first == "stream" else { throw APIError.notFound("that file") }
        let id = String(segments[segments.startIndex + 1])
        var rest = Array(segments.dropFirst(2))
        // The token is a path segment so relative URLs in playlists carry it to every segment.
        let token = rest.count >= 3 && rest[0] == "t" ? rest[1] : nil
        if token != nil { rest.removeFirst(2) }
        try access.authorize(asset: id, token: token, request: request)
        guard let package = state.published.folder(for: id) else {
            throw APIError.notFound("a published asset '\(id)'")
        }
        switch PackagePath.resolve(rest, in: package) {
        case .failure(.malformed(let reason)):
            throw APIError.badRequest(reason)
        case .failure(.notFound):
            throw APIError.notFound("that file")
        case .success(let file):
            let relative = rest.map { String($0).removingPercentEncoding ?? String($0) }.joined(separator: "/")
            return try await PackageFileResponder(metrics: state.metrics).respond(to: request, file: file, relativePath: relative,
                                                                           growing: state.published.isGrowing(id), context: context)
        }
    }
}

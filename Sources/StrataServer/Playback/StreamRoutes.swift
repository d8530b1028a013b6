import Foundation
import Hummingbird

/// `GET|HEAD /stream/{id}/…`: manifests, segments and captions of published assets, for players.
/// No token; anything unpublished, unfinished or unknown is 404.
struct StreamRoutes: Sendable {
    let state: ServerState

    func add(to router: Router<BasicRequestContext>) {
        router.get("stream/:id/**", use: serve)
        router.head("stream/:id/**", use: serve)
    }

    @Sendable func serve(_ request: Request, context: BasicRequestContext) async throws -> Response {
        // The raw path, still percent-encoded: decoding is PackagePath's job, so no spelling of '..' slips by.
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard segments.count >= 3, segments.first == "stream" else { throw APIError.notFound("that file") }
        let id = String(segments[segments.startIndex + 1])
        guard let package = state.published.folder(for: id) else {
            throw APIError.notFound("a published asset '\(id)'")
        }
        let rest = Array(segments.dropFirst(2))
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

import Hummingbird
import Logging

/// Logs every request at debug level with its path, never a playback token: tokens in the path
/// (`/stream/{id}/t/{token}/…`, `/watch/{id}/t/{token}/…`) are blanked and the query is left out.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        logger.debug("request", metadata: ["method": "\(request.method)", "path": "\(LoggedPath.redacted(request.uri.path))"])
        return try await next(request, context)
    }
}

/// A request path as it may appear in logs.
enum LoggedPath {
    /// `path` with the token segment of a signed playback path replaced by `<token>`.
    static func redacted(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        // ["", "stream" | "watch", id, "t", token, …]
        guard parts.count > 4, parts[1] == "stream" || parts[1] == "watch", parts[3] == "t" else { return path }
        parts[4] = "<token>"
        return parts.joined(separator: "/")
    }
}

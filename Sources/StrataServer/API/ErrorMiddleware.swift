import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// Turns every error a route throws into the documented JSON body `{"error": {"code", "message"}}` with
/// the right status, and logs server-side failures: no empty 500s, no Swift debug text sent to clients.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            if error.status.code >= 500 { log(error, request, detail: error.message) }
            throw error
        } catch let error as HTTPError {
            // Hummingbird's own errors (unknown route, body too large to collect, bad parameter).
            throw APIError(error.status, ErrorMiddleware.code(for: error.status), error.body ?? ErrorMiddleware.message(for: error.status))
        } catch {
            let mapped = APIError.unexpected(error)
            log(mapped, request, detail: String(describing: error))
            throw mapped
        }
    }

    private func log(_ error: APIError, _ request: Request, detail: String) {
        logger.error("request failed", metadata: [
            "method": "\(request.method)", "path": "\(LoggedPath.redacted(request.uri.path))", "status": "\(error.status.code)",
            "code": "\(error.code)", "error": "\(detail)",
        ])
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .contentTooLarge: "too_large"
        case .methodNotAllowed: "method_not_allowed"
        case .unauthorized: "unauthorized"
        default: status.code < 500 ? "bad_request" : "internal"
        }
    }

    static func message(for status: HTTPResponse.Status) -> String {
        status == .notFound ? "no such route; see docs/openapi.yaml" : status.reasonPhrase.lowercased()
    }
}

extension APIError {
    /// What a client is told about an unexpected failure (507 when the disk is full, 503 while the shared database
    /// cannot be reached); the detail stays in the log.
    static func unexpected(_ error: any Error) -> APIError {
        // PostgresNIO's pool refuses calls with its own error type while it waits to reconnect.
        if error is PSQLError || "\(type(of: error))" == "ConnectionPoolError", QueueReachability.isOutage(error) {
            return APIError(.serviceUnavailable, "database_unavailable",
                            "the server cannot reach its database for a moment; nothing was changed. Try again shortly",
                            headers: [.retryAfter: "5"])
        }
        if StorageFailure.isDiskFull(error) {
            return APIError(.insufficientStorage, "insufficient_storage",
                            "the server's disk is full; nothing was changed. Try again once an operator has freed space")
        }
        return APIError(.internalServerError, "internal", "the server could not complete this request; its log has the details")
    }
}

extension HTTPResponse.Status {
    /// RFC 4918 §11.5: the server cannot store what the request needs.
    static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}

import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`; answers 401 otherwise.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[.authorization].flatMap { value -> Substring? in
            value.lowercased().hasPrefix("bearer ") ? value.dropFirst(7) : nil
        }
        guard let presented, constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
            throw APIError(.unauthorized, "unauthorized",
                           presented == nil ? "send 'Authorization: Bearer <token>' with the server's API token" : "the API token is wrong",
                           headers: [.wwwAuthenticate: "Bearer realm=\"strata\""])
        }
        return try await next(request, context)
    }

    /// Compares without stopping at the first difference, so response times do not reveal the token.
    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

import Foundation
import Hummingbird

/// An API failure: an HTTP status, a stable code and a message a person can act on, sent as
/// `{"error": {"code": …, "message": …}}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(["error": ["code": code, "message": message]], status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not_found", "\(what) does not exist")
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, "bad_request", message)
    }
}

/// JSON response bodies: compact, sorted keys, ISO 8601 dates.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

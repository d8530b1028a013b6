import Foundation
import HTTPTypes
import Hummingbird

/// tus 1.0 header names and the facts this server advertises (https://tus.io/protocols/resumable-upload).
enum TusProtocol {
    static let version = "1.0.0"
    static let extensions = "creation,creation-with-upload,termination,checksum,expiration"
    static let offsetContentType = "application/offset+octet-stream"

    static let resumable = HTTPField.Name("Tus-Resumable")!
    static let versionHeader = HTTPField.Name("Tus-Version")!
    static let extensionHeader = HTTPField.Name("Tus-Extension")!
    static let maxSize = HTTPField.Name("Tus-Max-Size")!
    static let checksumAlgorithms = HTTPField.Name("Tus-Checksum-Algorithm")!
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let uploadLength = HTTPField.Name("Upload-Length")!
    static let uploadDeferLength = HTTPField.Name("Upload-Defer-Length")!
    static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
    static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
    static let uploadExpires = HTTPField.Name("Upload-Expires")!
    /// Ours: the asset a finished upload became.
    static let assetID = HTTPField.Name("Strata-Asset-Id")!

    /// Every header a browser's tus client sends or reads, for CORS.
    static let requestHeaders: [HTTPField.Name] = [resumable, uploadOffset, uploadLength, uploadDeferLength, uploadMetadata, uploadChecksum]
    static let responseHeaders = ["Location", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm",
                                  "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires", "Strata-Asset-Id"]

    /// `Upload-Expires` is an HTTP date (RFC 9110 §5.6.7).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// Checks `Tus-Resumable` on every request but OPTIONS and the JSON `GET` (412 otherwise) and adds it to every response, errors included.
struct TusResumableMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            if request.method != .options, request.method != .get, request.headers[TusProtocol.resumable] != TusProtocol.version {
                throw APIError(.preconditionFailed, "unsupported_tus_version",
                               "send 'Tus-Resumable: \(TusProtocol.version)'; it is the only tus version this server speaks",
                               headers: [TusProtocol.versionHeader: TusProtocol.version])
            }
            var response = try await next(request, context)
            response.headers[TusProtocol.resumable] = TusProtocol.version
            return response
        } catch var error as APIError {
            error.headers[TusProtocol.resumable] = TusProtocol.version
            throw error
        }
    }
}

import CompressNIO
import Foundation
import Hummingbird

/// Sends one package file to a player with the HTTP semantics players and CDNs rely on: the right
/// `Content-Type`, byte ranges (206/416), `ETag` with `If-None-Match` (304), `Cache-Control` (segments
/// immutable, manifests short), and gzip for playlists and MPDs when the client accepts it.
struct PackageFileResponder: Sendable {
    let metrics: ServerMetrics

    /// Segments never change once written; manifests can (tracks may be added to a package).
    static let segmentCacheControl = "public, max-age=31536000, immutable"
    static let manifestCacheControl = "public, max-age=10"

    func respond(to request: Request, file: URL, relativePath: String, context: some RequestContext) async throws -> Response {
        var info = stat()
        guard stat(file.path, &info) == 0 else { throw APIError.notFound("\(relativePath)") }
        let size = Int(info.st_size)
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let isManifest = relativePath.hasSuffix(".m3u8") || relativePath.hasSuffix(".mpd")
        var headers: HTTPFields = [
            .contentType: PackageFileResponder.contentType(relativePath),
            .cacheControl: isManifest ? PackageFileResponder.manifestCacheControl : PackageFileResponder.segmentCacheControl,
            .acceptRanges: "bytes",
        ]
        if isManifest { headers[.vary] = "Accept-Encoding" }
        let identityTag = "\"\(String(size, radix: 16))-\(String(modified, radix: 16))\""
        let lastModified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
        let rangeApplies = RangeCondition.allowsRange(ifRange: request.headers[.ifRange], entityTag: identityTag, lastModified: lastModified)
        let range = ByteRangeRequest(header: rangeApplies ? request.headers[.range] : nil, size: size)
        let gzip = isManifest && range == .whole && PlaybackHeaders.acceptsGzip(request.headers[.acceptEncoding])
        let tag = gzip ? "\(identityTag.dropLast())-gz\"" : identityTag
        headers[.eTag] = tag
        headers[.lastModified] = HTTPDate.string(secondsSince1970: Int(info.st_mtim.tv_sec))
        if let expected = request.headers[.ifNoneMatch], PlaybackHeaders.ifNoneMatch(expected, matches: tag) {
            return Response(status: .notModified, headers: headers)
        }
        let isHead = request.method == .head
        if gzip {
            var plain = ByteBuffer(bytes: try Data(contentsOf: file))
            let compressed = try plain.compress(with: .gzip())
            headers[.contentEncoding] = "gzip"
            headers[.contentLength] = String(compressed.readableBytes)
            if !isHead { metrics.bytesServed.increment(by: compressed.readableBytes) }
            return Response(status: .ok, headers: headers, body: isHead ? .init() : .init(byteBuffer: compressed))
        }
        switch range {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .range(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
            headers[.contentLength] = String(bytes.count)
            if isHead { return Response(status: .partialContent, headers: headers) }
            metrics.bytesServed.increment(by: bytes.count)
            return try await PackageFileBody.response(status: .partialContent, headers: headers, file: file, range: bytes, context: context)
        case .whole:
            headers[.contentLength] = String(size)
            if isHead || size == 0 { return Response(status: .ok, headers: headers) }
            metrics.bytesServed.increment(by: size)
            return try await PackageFileBody.response(status: .ok, headers: headers, file: file, range: 0...(size - 1), context: context)
        }
    }

    /// MIME types players expect (HLS authoring spec: playlists as application/vnd.apple.mpegurl).
    static func contentType(_ path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "m3u8": return "application/vnd.apple.mpegurl"
        case "mpd": return "application/dash+xml"
        case "vtt": return "text/vtt; charset=utf-8"
        case "jpg": return "image/jpeg"
        case "mp4", "m4s": return path.hasPrefix("audio/") ? "audio/mp4" : "video/mp4"
        default: return "application/octet-stream"
        }
    }
}

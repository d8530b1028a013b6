import Foundation
import Hummingbird

/// `GET /oembed?url=…[&maxwidth=…&maxheight=…]`: oEmbed 1.0 (oembed.com §2.3) for Strata watch and embed
/// URLs of published assets: type `video` with the iframe HTML of the embed page. A `signed` asset's URL must carry
/// an unbound playback token (`?token=`; the consumer asking is not the viewer, so a bound one cannot be checked here).
struct OEmbed: Sendable {
    let state: ServerState
    let access: PlaybackAccess

    /// The answer's fields (oEmbed §2.3.4), encoded with their spec names.
    struct Answer: Encodable {
        var type = "video"
        var version = "1.0"
        var title: String
        var provider_name = "Strata"
        var provider_url: String
        var width: Int
        var height: Int
        var html: String
        var thumbnail_url: String?
        var thumbnail_width: Int?
        var thumbnail_height: Int?
    }

    @Sendable func respond(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        if let format = query["format"], format != "json" {
            // oEmbed §2.3.5: 501 for a format the provider does not offer (xml); anything else is not a format at all.
            guard format == "xml" else { throw APIError.badRequest("format must be json") }
            throw APIError(.notImplemented, "format_not_supported", "only format=json is available")
        }
        guard let text = query["url"].map(String.init), let url = URL(string: text), let host = url.host,
              let scheme = url.scheme, ["http", "https"].contains(scheme) else {
            throw APIError.badRequest("url: give the address of a Strata /watch page")
        }
        let parts = url.path.split(separator: "/").map(String.init)
        let ownHost = request.head.authority
        let origin = "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
        guard parts.count == 2, ["watch", "embed"].contains(parts[0]), ownHost == nil || origin.hasSuffix("//\(ownHost!)") else {
            throw APIError.notFound("a Strata watch page at '\(text)'")
        }
        let (folder, facts, title) = try await ViewerPageRoutes.package(parts[1], state: state)
        let token = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "token" }?.value
        if let token {
            // Only a token that opens this asset goes into the answer's URLs (its checked form is digits, dots and hex).
            guard let parsed = PlaybackToken(Substring(token)), parsed.opens(parts[1], key: access.key) else {
                throw APIError(.unauthorized, "invalid_token", "the URL's token does not open this asset (expired, bound, or for another asset)")
            }
        } else if access.policy(of: parts[1]) == .signed {
            // oEmbed §2.3.5: 401 for a private resource.
            throw APIError(.unauthorized, "token_required", "this asset plays only with a playback token: give its /watch URL with ?token= (an unbound one)")
        }
        let top = facts.video.max { $0.height < $1.height }
        let aspect = top.map { Double($0.width) / Double(max($0.height, 1)) } ?? 16.0 / 9
        var width = min(Int(query["maxwidth"].flatMap { Int($0) } ?? 640), 1920)
        var height = Int((Double(width) / aspect).rounded())
        if let maxHeight = query["maxheight"].flatMap({ Int($0) }), height > maxHeight {
            height = maxHeight
            width = Int((Double(height) * aspect).rounded())
        }
        var source = "\(origin)/embed/\(parts[1])"
        if let viewerQuery = url.query, !viewerQuery.isEmpty { source += "?" + viewerQuery }
        var answer = Answer(title: title, provider_url: origin, width: width, height: height,
                            html: ViewerTemplates.shared.iframe(source: source, title: title, width: width, height: height))
        if PackageThumbnails(folder: folder).poster != nil, let top {
            answer.thumbnail_url = "\(origin)/stream/\(parts[1])/" + (token.map { "t/\($0)/" } ?? "") + "poster.jpg"
            answer.thumbnail_width = top.width
            answer.thumbnail_height = top.height
        }
        return try JSONResponse.make(answer)
    }
}

import Foundation
import Hummingbird

/// Direct uploads for browsers: `POST /v1/direct-uploads` (API token) hands out a one-time tus endpoint
/// `/direct-uploads/{id}` that needs no token; `GET /v1/direct-uploads/{id}` reports the asset it became.
struct DirectUploadRoutes: Sendable {
    let tus: TusRoutes
    let rows: any DirectUploadRows

    /// Longest a direct-upload URL may wait for its upload: a week.
    static let maxLifetime = 7 * 86_400

    struct CreateBody: Decodable {
        var profile: String?
        var title: String?
        var corsOrigin: String?
        /// Seconds the URL may wait to be used; default one hour.
        var expiresIn: Int?
        /// The master's audio languages to keep (ISO 639 codes), as `audioLanguages` of other uploads.
        var audioLanguages: [String]?
    }

    struct DirectUploadResponse: Encodable {
        var id: String
        var url: String
        var profile: String
        var title: String?
        var corsOrigin: String?
        var audioLanguages: [String]?
        var expiresAt: Date
        /// waiting (not used yet), uploading, complete (see `asset`) or expired.
        var status: String
        var asset: String?
    }

    /// The operator's routes, behind the API token.
    func addAPI(to group: RouterGroup<BasicRequestContext>) {
        group.post("direct-uploads", use: create)
        group.get("direct-uploads/:direct", use: show)
    }

    /// The browser's tus endpoint, without the token; the gate checks the URL's id, expiry, origin and upload.
    func addPublic(to router: Router<BasicRequestContext>) {
        let open = router.group("direct-uploads/:direct").add(middleware: TusResumableMiddleware())
            .add(middleware: DirectUploadGate(rows: rows))
        open.on("", method: .options, use: tus.options)
        open.post("", use: createUpload)
        open.on(":upload", method: .head, use: tus.head)
        open.get(":upload", use: tus.show)
        open.patch(":upload", use: tus.patch)
        open.delete(":upload", use: tus.terminate)
    }

    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let data = try await request.body.collect(upTo: 64 * 1024)
        let body: CreateBody
        do {
            body = try data.readableBytes == 0 ? CreateBody() : JSONDecoder().decode(CreateBody.self, from: Data(data.readableBytesView))
        } catch {
            throw APIError.badRequest(#"the body must be JSON such as {"profile": "default", "title": "…", "corsOrigin": "https://app.example", "expiresIn": 3600}"#)
        }
        let profile = try tus.state.storedProfile(named: body.profile ?? "default")
        let audioLanguages = try AudioLanguagesOption.parse(body.audioLanguages?.joined(separator: ","))
        let lifetime = body.expiresIn ?? 3600
        guard (1...DirectUploadRoutes.maxLifetime).contains(lifetime) else {
            throw APIError.badRequest("expiresIn must be 1…\(DirectUploadRoutes.maxLifetime) seconds")
        }
        if let origin = body.corsOrigin {
            guard let url = URL(string: origin), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.path.isEmpty else {
                throw APIError.badRequest("corsOrigin must be an origin such as https://app.example.com (scheme, host, optional port)")
            }
        }
        let now = Date()
        let direct = DirectUploadRecord(id: TusUploadID.make(), profileName: profile.name, title: body.title, corsOrigin: body.corsOrigin,
                                        expiresAt: now.addingTimeInterval(Double(lifetime)), uploadID: nil, createdAt: now,
                                        audioLanguages: audioLanguages?.joined(separator: ","))
        try await rows.insert(direct)
        return try JSONResponse.make(try await response(direct, request), status: .created, headers: [.location: "/v1/direct-uploads/\(direct.id)"])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(try await response(try await DirectUploadRecord.named(in: context, rows), request))
    }

    /// The browser's `POST`: creates the one tus upload this URL allows.
    @Sendable func createUpload(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let direct = try await DirectUploadRecord.named(in: context, rows)
        return try await tus.create(request, profileName: direct.profileName, title: direct.title, audioLanguages: direct.audioLanguageList,
                                    at: "\(baseURL(request))/direct-uploads/\(direct.id)") { uploadID in
            guard try await rows.claim(direct.id, upload: uploadID) else {
                throw APIError(.conflict, "direct_upload_used", "this upload URL was already used or has expired; ask for a new one")
            }
        }
    }

    private func response(_ direct: DirectUploadRecord, _ request: Request) async throws -> DirectUploadResponse {
        let upload = try await direct.uploadID.asyncMap { id in try await tus.uploads.upload(id) } ?? nil
        let status = upload?.assetID != nil ? "complete" : direct.uploadID != nil ? "uploading" : direct.expiresAt < Date() ? "expired" : "waiting"
        return DirectUploadResponse(id: direct.id, url: "\(baseURL(request))/direct-uploads/\(direct.id)", profile: direct.profileName,
                                    title: direct.title, corsOrigin: direct.corsOrigin, audioLanguages: direct.audioLanguageList,
                                    expiresAt: direct.expiresAt, status: status,
                                    asset: upload?.assetID)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async rethrows -> Mapped? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// Lets a token-free request through only for a known direct-upload URL: from its CORS origin when one is set,
/// and (for an upload's own URL) only to the upload that URL created.
struct DirectUploadGate<Context: RequestContext>: RouterMiddleware {
    let rows: any DirectUploadRows

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let direct = try await DirectUploadRecord.named(in: context, rows)
        if let allowed = direct.corsOrigin, let origin = request.headers[.origin], origin != allowed {
            throw APIError(.forbidden, "origin_not_allowed", "this upload URL accepts requests from \(allowed) only")
        }
        if let upload = context.parameters.get("upload"), upload != direct.uploadID {
            throw APIError.notFound("upload \(upload.prefix(64))")
        }
        return try await next(request, context)
    }
}

extension DirectUploadRecord {
    /// The direct upload named in the path, or 404.
    static func named(in context: some RequestContext, _ rows: any DirectUploadRows) async throws -> DirectUploadRecord {
        let id = context.parameters.get("direct") ?? ""
        guard TusUploadID.isValid(id), let direct = try await rows.directUpload(id) else {
            throw APIError.notFound("direct upload \(id.prefix(64))")
        }
        return direct
    }
}

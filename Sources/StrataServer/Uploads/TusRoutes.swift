import Foundation
import Hummingbird

/// `/v1/uploads`: resumable uploads over tus 1.0 (core, creation, creation-with-upload, termination, checksum,
/// expiration). The last byte turns the upload into an asset exactly as a raw-body `POST /v1/assets` does.
struct TusRoutes: Sendable {
    let state: ServerState
    let uploads: TusUploadStore
    let locks: UploadLocks
    /// How long an incomplete upload is kept after its creation.
    let expiry: Duration

    func add(to group: RouterGroup<BasicRequestContext>) {
        let tus = group.group("uploads").add(middleware: TusResumableMiddleware())
        tus.on("", method: .options, use: options)
        tus.post("", use: create)
        tus.on(":upload", method: .head, use: head)
        tus.get(":upload", use: show)
        tus.patch(":upload", use: patch)
        tus.delete(":upload", use: terminate)
    }

    /// `OPTIONS /v1/uploads`: what this server supports (tus 1.0 §core).
    @Sendable func options(_ request: Request, context: BasicRequestContext) async throws -> Response {
        Response(status: .noContent, headers: [
            TusProtocol.versionHeader: TusProtocol.version, TusProtocol.extensionHeader: TusProtocol.extensions,
            TusProtocol.maxSize: "\(state.maxUploadBytes)",
            TusProtocol.checksumAlgorithms: UploadChecksum.Algorithm.allCases.map(\.rawValue).joined(separator: ","),
        ])
    }

    /// `POST /v1/uploads` with `Upload-Length` and `Upload-Metadata` (profile, title, audioLanguages), optionally with
    /// the first chunk.
    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let metadata = try TusMetadata(header: request.headers[TusProtocol.uploadMetadata])
        return try await create(request, profileName: metadata.profile, title: metadata.title, audioLanguages: try metadata.audioLanguages(),
                                at: "\(baseURL(request))/v1/uploads")
    }

    /// Creates an upload whose URL is `<collection>/<id>`; `claim` runs once the request is known to be acceptable,
    /// before anything is stored (a direct upload marks its one-time URL used there).
    func create(_ request: Request, profileName: String, title: String?, audioLanguages: [String]? = nil, at collection: String,
                claim: (String) async throws -> Void = { _ in }) async throws -> Response {
        if request.headers[TusProtocol.uploadDeferLength] != nil {
            throw APIError.badRequest("Upload-Defer-Length is not supported; send Upload-Length")
        }
        guard let text = request.headers[TusProtocol.uploadLength], let length = Int(text), length >= 0 else {
            throw APIError.badRequest("send Upload-Length: the size of the whole file in bytes")
        }
        // Refused before any byte is stored (tus 1.0 §creation: 413 above Tus-Max-Size).
        guard length <= state.maxUploadBytes else {
            throw APIError(.contentTooLarge, "too_large", "the upload is larger than this server accepts (\(state.maxUploadBytes) bytes)")
        }
        guard length > 0 else { throw APIError(.badRequest, "empty_upload", "Upload-Length is 0; a master cannot be empty") }
        let profile = try state.storedProfile(named: profileName)
        let now = Date()
        let upload = TusUploadRecord(
            id: TusUploadID.make(), length: length, offset: 0, profileName: profile.name, title: title,
            metadata: request.headers[TusProtocol.uploadMetadata], assetID: nil, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(expiry.components.seconds)), audioLanguages: audioLanguages?.joined(separator: ","))
        try await claim(upload.id)
        try await uploads.create(upload)
        state.logger.info("resumable upload created", metadata: ["upload": "\(upload.id)", "bytes": "\(length)"])
        var headers: HTTPFields = [.location: "\(collection)/\(upload.id)"]
        var current = upload
        // creation-with-upload: the body, if any, is the first chunk.
        if request.headers[.contentType] == TusProtocol.offsetContentType {
            current = try await locks.holding(upload.id) { holder in try await receive(request, into: upload, holder: holder) }
            headers[TusProtocol.uploadOffset] = "\(current.offset)"
        }
        headers.append(contentsOf: statusHeaders(current))
        return Response(status: .created, headers: headers)
    }

    /// `HEAD /v1/uploads/{id}`: the durable offset to resume from.
    @Sendable func head(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let upload = try await existing(context)
        var headers: HTTPFields = [TusProtocol.uploadOffset: "\(upload.offset)", TusProtocol.uploadLength: "\(upload.length)",
                                   .cacheControl: "no-store"]
        if let metadata = upload.metadata { headers[TusProtocol.uploadMetadata] = metadata }
        headers.append(contentsOf: statusHeaders(upload))
        return Response(status: .ok, headers: headers)
    }

    /// `GET /v1/uploads/{id}`: the upload as JSON, with the asset it became once complete.
    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let upload = try await existing(context)
        return try JSONResponse.make(TusUploadResponse(upload), headers: [.cacheControl: "no-store"])
    }

    /// `PATCH /v1/uploads/{id}` with `Upload-Offset` and the bytes from there.
    @Sendable func patch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.headers[.contentType] == TusProtocol.offsetContentType else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the chunk with Content-Type: \(TusProtocol.offsetContentType)")
        }
        guard let text = request.headers[TusProtocol.uploadOffset], let offset = Int(text), offset >= 0 else {
            throw APIError.badRequest("send Upload-Offset: the offset this chunk starts at")
        }
        let id = try validID(context)
        let upload = try await locks.holding(id) { holder in
            let stored = try await existing(context)
            guard offset == stored.offset else {
                throw APIError(.conflict, "offset_mismatch",
                               "Upload-Offset is \(offset) but the upload holds \(stored.offset) bytes; HEAD it and resume from there")
            }
            guard !stored.isComplete else { throw APIError(.conflict, "upload_complete", "upload \(id) is already complete") }
            return try await receive(request, into: stored, holder: holder)
        }
        var headers: HTTPFields = [TusProtocol.uploadOffset: "\(upload.offset)"]
        headers.append(contentsOf: statusHeaders(upload))
        return Response(status: .noContent, headers: headers)
    }

    /// `DELETE /v1/uploads/{id}`: stops an upload and removes what it received (tus 1.0 §termination).
    @Sendable func terminate(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try validID(context)
        try await locks.holding(id) { _ in
            _ = try await existing(context)
            try await uploads.remove(id)
        }
        state.logger.info("resumable upload terminated", metadata: ["upload": "\(id)"])
        return Response(status: .noContent)
    }

    /// Writes the request body at the upload's offset under `holder`'s writer lease; on the last byte, makes the asset.
    private func receive(_ request: Request, into upload: TusUploadRecord, holder: String) async throws -> TusUploadRecord {
        let writer = ChunkWriter(file: uploads.file(of: upload.id), offset: upload.offset, room: upload.length - upload.offset,
                                 checksum: try UploadChecksum(header: request.headers[TusProtocol.uploadChecksum])) { [uploads] offset in
            try await uploads.setOffset(upload.id, offset, writer: holder)
        }
        var current = upload
        do {
            current.offset = try await writer.write(request.body)
        } catch let error as APIError {
            throw error
        } catch {
            if StorageFailure.isDiskFull(error) {
                throw APIError(.insufficientStorage, "insufficient_storage", "the server's disk is full; the chunk was not kept. Resume once space is freed")
            }
            throw APIError(.badRequest, "upload_failed", "the chunk did not complete; HEAD the upload and resume from its offset")
        }
        guard current.offset == current.length else { return current }
        let profile = try state.storedProfile(named: upload.profileName).keepingAudio(upload.audioLanguageList)
        let asset = try await AssetRoutes(state: state).ingest(uploads.file(of: upload.id), size: upload.length, profile: profile, title: upload.title)
        try await uploads.complete(upload.id, asset: asset.id)
        current.assetID = asset.id
        return current
    }

    /// `Upload-Expires` while incomplete, the asset's id once complete.
    private func statusHeaders(_ upload: TusUploadRecord) -> HTTPFields {
        if let asset = upload.assetID { return [TusProtocol.assetID: asset] }
        return [TusProtocol.uploadExpires: TusProtocol.httpDate(upload.expiresAt)]
    }

    private func validID(_ context: BasicRequestContext) throws -> String {
        let id = context.parameters.get("upload") ?? ""
        guard TusUploadID.isValid(id) else { throw APIError.notFound("upload \(id.prefix(64))") }
        return id
    }

    /// The upload named in the path; 404 when unknown, 410 once expired (it is removed then).
    private func existing(_ context: BasicRequestContext) async throws -> TusUploadRecord {
        let id = try validID(context)
        guard let upload = try await uploads.upload(id) else { throw APIError.notFound("upload \(id)") }
        if upload.assetID == nil, upload.expiresAt < Date() {
            try await uploads.remove(id)
            throw APIError(.gone, "upload_expired", "upload \(id) expired before it was complete; start a new one")
        }
        return upload
    }
}

/// `GET /v1/uploads/{id}`'s JSON.
struct TusUploadResponse: Encodable {
    let id: String
    let length: Int
    let offset: Int
    let assetID: String?
    let expiresAt: Date?

    init(_ upload: TusUploadRecord) {
        id = upload.id
        length = upload.length
        offset = upload.offset
        assetID = upload.assetID
        expiresAt = upload.assetID == nil ? upload.expiresAt : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, length, offset, expiresAt
        case assetID = "asset"
    }
}

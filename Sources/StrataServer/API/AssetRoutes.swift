import Foundation
import Hummingbird
import StrataManifest
import StrataMedia
import StrataProfiles

/// `/v1/assets`: upload masters, add sidecar tracks, publish, inspect and delete assets.
struct AssetRoutes: Sendable {
    let state: ServerState

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.post("assets", use: upload)
        group.get("assets", use: list)
        group.get("assets/:id", use: show)
        group.delete("assets/:id", use: delete)
        group.post("assets/:id/publish") { request, context in try await setPublished(request, context, true) }
        group.post("assets/:id/unpublish") { request, context in try await setPublished(request, context, false) }
        group.put("assets/:id/audio/:language", use: addAudio)
        group.put("assets/:id/captions/:language", use: addCaptions)
    }

    /// `POST /v1/assets?profile=NAME&title=…&audioLanguages=en,es` with the master as the raw body.
    @Sendable func upload(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let profileName = query["profile"].map(String.init) ?? "default"
        let audioLanguages = try AudioLanguagesOption.parse(query[Substring(AudioLanguagesOption.key)].map { String($0).removingPercentEncoding ?? String($0) })
        let profile = try state.storedProfile(named: profileName).keepingAudio(audioLanguages)
        let (upload, size) = try await UploadReceiver(files: state.files, limit: state.maxUploadBytes).receive(request, context: context)
        let title = query["title"].map { String($0).removingPercentEncoding ?? String($0) }
        let asset = try await ingest(upload, size: size, profile: profile, title: title)
        return try JSONResponse.make(AssetResponse(asset, sidecars: [], baseURL: baseURL(request)), status: .created,
                                     headers: [.location: "/v1/assets/\(asset.id)"])
    }

    /// Turns a received master (a raw-body upload or a finished tus upload) into an asset: probes it, moves it
    /// under the new asset's folder and records it, queued for transcoding or failed with the probe's reason.
    func ingest(_ upload: URL, size: Int, profile: EncodingProfile, title: String?) async throws -> AssetRecord {
        let id = RecordID.make()
        let problem: TranscodeError?
        do {
            _ = try await OffLoop.run { try MasterProbe.describe(path: upload.path) }
            problem = nil
        } catch let error as TranscodeError {
            problem = error.code == .noVideo || error.code == .notMedia || error.code == .inputEmpty
                ? TranscodeError(error.code, error.message.replacingOccurrences(of: "'\(upload.path)'", with: "the upload"))
                : error
        }
        do {
            try FileManager.default.createDirectory(at: state.files.folder(of: id), withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: upload, to: state.files.master(of: id))
        } catch {
            try? FileManager.default.removeItem(at: upload)
            try? FileManager.default.removeItem(at: state.files.folder(of: id))
            state.logger.error("cannot store an upload", metadata: ["asset": "\(id)", "error": "\(error)"])
            throw APIError.unexpected(error)
        }
        let asset: AssetRecord
        do {
            asset = try await state.store.createAsset(id: id, title: title, profile: profile, masterSize: size, problem: problem)
        } catch {
            try? FileManager.default.removeItem(at: state.files.folder(of: id))  // nothing kept without its row
            throw error
        }
        state.logger.info("asset uploaded", metadata: ["asset": "\(id)", "bytes": "\(size)", "status": "\(asset.status.rawValue)"])
        return asset
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let base = baseURL(request)
        var items: [AssetResponse] = []
        for asset in try await state.store.assets() {
            items.append(AssetResponse(asset, sidecars: try await state.store.sidecars(of: asset.id), baseURL: base))
        }
        return try JSONResponse.make(["assets": items])
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let asset = try await existing(context)
        var response = AssetResponse(asset, sidecars: try await state.store.sidecars(of: asset.id), baseURL: baseURL(request))
        response.units = try? await state.jobs.units(of: asset.id)  // a queue that is down for a moment hides them only
        return try JSONResponse.make(response)
    }

    @Sendable func delete(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let asset = try await existing(context)
        state.published.remove(asset.id)
        state.jobs.cancel(asset: asset.id)
        _ = try await state.store.delete(asset.id)
        try? FileManager.default.removeItem(at: state.files.folder(of: asset.id))
        state.logger.info("asset deleted", metadata: ["asset": "\(asset.id)"])
        return Response(status: .noContent)
    }

    func setPublished(_ request: Request, _ context: BasicRequestContext, _ published: Bool) async throws -> Response {
        let asset = try await existing(context)
        guard let updated = try await state.store.setPublished(asset.id, published) else { throw APIError.notFound("asset \(asset.id)") }
        state.published.refresh(updated, files: state.files)
        return try JSONResponse.make(AssetResponse(updated, sidecars: try await state.store.sidecars(of: asset.id), baseURL: baseURL(request)))
    }

    /// `PUT /v1/assets/{id}/audio/{lang}?role=main|dub|description|commentary`
    @Sendable func addAudio(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let role = try choice(request, "role", default: AudioRole.main)
        return try await addSidecar(request, context, kind: .audio, variant: role.rawValue) { path, language throws(TranscodeError) in
            try SidecarAudio(path: path, language: language, role: role).validate(displayName: "request body")
        }
    }

    /// `PUT /v1/assets/{id}/captions/{lang}?kind=subtitles|sdh|forced`
    @Sendable func addCaptions(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let kind = try choice(request, "kind", default: SubtitleKind.subtitles)
        return try await addSidecar(request, context, kind: .captions, variant: kind.rawValue) { path, language throws(TranscodeError) in
            try SidecarCaptions(path: path, language: language, kind: kind).validate(displayName: "request body")
        }
    }

    /// Receives, checks and stores a sidecar; 202 because it is packaged by a job.
    private func addSidecar(_ request: Request, _ context: BasicRequestContext, kind: SidecarKind, variant: String,
                            validate: @escaping @Sendable (String, String) throws(TranscodeError) -> Void) async throws -> Response {
        let asset = try await existing(context)
        guard asset.status != .failed else {
            throw APIError(.conflict, "asset_failed", "asset \(asset.id) failed (\(asset.errorMessage ?? "")); upload the master again")
        }
        let code = context.parameters.get("language") ?? ""
        let language: String
        do {
            language = try TrackLanguage.normalize(code, for: "this \(kind.rawValue) track")
        } catch {
            throw APIError(.badRequest, "unknown_language", error.message)
        }
        let (upload, _) = try await UploadReceiver(files: state.files, limit: state.maxUploadBytes).receive(request, context: context)
        do {
            try await OffLoop.run { try validate(upload.path, language) }
        } catch let error as TranscodeError {
            try? FileManager.default.removeItem(at: upload)
            throw APIError(.unprocessableContent, error.code.rawValue, error.message)
        }
        let folder = state.files.sidecars(of: asset.id)
        let name = "\(UUID().uuidString.prefix(8).lowercased())-\(kind.rawValue)-\(language)-\(variant)"
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: upload, to: folder.appendingPathComponent(name))
        } catch {
            try? FileManager.default.removeItem(at: upload)
            state.logger.error("cannot store a track", metadata: ["asset": "\(asset.id)", "error": "\(error)"])
            throw APIError.unexpected(error)
        }
        do {
            _ = try await state.store.addSidecar(SidecarRecord(
                id: nil, assetID: asset.id, kind: kind, language: language, variant: variant, fileName: name,
                state: .pending, errorMessage: nil, createdAt: Date()))
        } catch {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))  // nothing kept without its row
            throw error
        }
        let updated = try await state.store.asset(asset.id) ?? asset
        return try JSONResponse.make(AssetResponse(updated, sidecars: try await state.store.sidecars(of: asset.id), baseURL: baseURL(request)),
                                     status: .accepted)
    }

    /// The query parameter `name` as one of an enumeration's values, or a 400 listing them.
    private func choice<Value: RawRepresentable & CaseIterable>(_ request: Request, _ name: String, default fallback: Value) throws -> Value
    where Value.RawValue == String {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return fallback }
        guard let value = Value(rawValue: text) else {
            throw APIError.badRequest("\(name) must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private func existing(_ context: BasicRequestContext) async throws -> AssetRecord {
        let id = context.parameters.get("id") ?? ""
        guard let asset = try await state.store.asset(id) else { throw APIError.notFound("asset \(id)") }
        return asset
    }
}

/// `http://host:port` as the client addressed this server, for playback URLs.
func baseURL(_ request: Request) -> String {
    "http://\(request.head.authority ?? "localhost")"
}

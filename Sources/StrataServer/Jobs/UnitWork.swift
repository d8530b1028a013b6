import Foundation
import Logging
import StrataManifest
import StrataMedia
import StrataProfiles

/// What a finished unit made: the package's facts (JSON) and how long it took.
struct UnitResult: Sendable {
    var factsJSON: String
    var wallSeconds: Double
}

/// Runs work orders here, on threads of their own, against a data folder: a transcode into package version 1, or
/// a repackage of the current version into the next one with the pending sidecars added.
struct UnitWork: Sendable {
    let files: AssetFiles
    let logger: Logger

    /// Runs `order`; `progress` gets the share encoded, `playable` the seconds players can watch so far.
    func run(_ order: WorkOrder, name: String, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void, playable: @escaping @Sendable (Double) -> Void) async -> Result<UnitResult, TranscodeError> {
        let (files, logger) = (self.files, self.logger)
        return await BlockingWork.run(name) { () throws(TranscodeError) -> UnitResult in
            guard let profile = try? JSONDecoder().decode(EncodingProfile.self, from: Data(order.profileJSON.utf8)) else {
                throw TranscodeError(.invalidProfile, "the asset's stored profile cannot be read")
            }
            let (audio, captions) = try UnitWork.tracks(order, files: files)
            switch order.kind {
            case .transcode:
                let request = UnitWork.transcodeRequest(order, profile: profile, files: files, audio: audio, captions: captions)
                let report = try Transcoder(logger: logger).run(request, cancellation: cancellation, progress: { progress($0.fraction) },
                                                                playable: playable)
                return UnitResult(factsJSON: try UnitWork.packageFacts(of: request), wallSeconds: report.wallSeconds)
            case .plan, .chunk, .audio, .assemble:
                let request = UnitWork.transcodeRequest(order, profile: profile, files: files, audio: audio, captions: captions)
                return try ChunkStep(logger: logger).run(order, request: request, cancellation: cancellation, progress: progress)
            case .repackage:
                let started = ContinuousClock.now
                let request = RepackageRequest(package: files.package(of: order.assetID, version: order.packageVersion),
                                               outputDirectory: files.package(of: order.assetID, version: order.packageVersion + 1),
                                               overwrite: true, audio: profile.audio, sidecarAudio: audio, sidecarCaptions: captions)
                let facts = try Repackager(logger: logger).run(request, cancellation: cancellation)
                let json = String(decoding: (try? JSONEncoder().encode(facts)) ?? Data(), as: UTF8.self)
                return UnitResult(factsJSON: json, wallSeconds: (ContinuousClock.now - started).seconds)
            }
        }
    }

    /// The transcode a `transcode` order (or a step of one cut into chunks) runs: package version 1, written in place.
    static func transcodeRequest(_ order: WorkOrder, profile: EncodingProfile, files: AssetFiles, audio: [SidecarAudio],
                                 captions: [SidecarCaptions]) -> TranscodeRequest {
        var request = TranscodeRequest(masterPath: files.master(of: order.assetID).path, profile: profile,
                                       outputDirectory: files.package(of: order.assetID, version: order.packageVersion), overwrite: true)
        request.output = .progressive(resume: true)
        (request.sidecarAudio, request.sidecarCaptions) = (audio, captions)
        return request
    }

    /// The `package.json` a finished transcode wrote, as the unit's result.
    static func packageFacts(of request: TranscodeRequest) throws(TranscodeError) -> String {
        let factsFile = request.outputDirectory.appendingPathComponent("package.json")
        guard let facts = try? String(contentsOf: factsFile, encoding: .utf8) else {
            throw TranscodeError(.output, "\(factsFile.path) cannot be read back")
        }
        return facts
    }

    /// The order's sidecars as transcode inputs, from the asset's sidecar folder.
    static func tracks(_ order: WorkOrder, files: AssetFiles) throws(TranscodeError) -> ([SidecarAudio], [SidecarCaptions]) {
        let folder = files.sidecars(of: order.assetID)
        var audio: [SidecarAudio] = [], captions: [SidecarCaptions] = []
        for sidecar in order.sidecars {
            let path = folder.appendingPathComponent(sidecar.fileName).path
            switch sidecar.kind {
            case .audio:
                audio.append(try SidecarAudio(path: path, language: sidecar.language, role: AudioRole(rawValue: sidecar.variant) ?? .main))
            case .captions:
                captions.append(try SidecarCaptions(path: path, language: sidecar.language, kind: SubtitleKind(rawValue: sidecar.variant) ?? .subtitles))
            }
        }
        return (audio, captions)
    }
}

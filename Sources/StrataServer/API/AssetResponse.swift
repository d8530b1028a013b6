import Foundation
import StrataManifest

/// An asset as the API shows it.
struct AssetResponse: Encodable {
    struct ErrorBody: Encodable {
        var code: String
        var message: String
    }

    struct Rendition: Encodable {
        var name: String
        var width: Int
        var height: Int
        var codecs: String
        var frameRate: String
        var peakBitRate: Int
        var averageBitRate: Int
        /// PSNR/SSIM against the master, when measured (per-title profiles).
        var quality: QualityFacts?
        /// Per-title: how the rate was chosen, and why.
        var rateControl: RateControlFacts?
    }

    struct Track: Encodable {
        var id: String?
        var language: String
        /// Audio role, or caption kind.
        var kind: String
        var name: String?
        /// "ready" when in the package players get; "pending" while being added; "failed" with `error`.
        var status: String
        var error: String?
    }

    struct Playback: Encodable {
        var hls: String
        var dash: String
    }

    /// Stills for players: a poster and a WebVTT storyboard of seek-preview tiles, where the profile made them.
    struct Thumbnails: Encodable {
        var poster: String?
        var storyboard: String?
    }

    /// A smart-crop presentation (`crops/<name>/`): its own HLS and DASH entry points and its camera path.
    struct Crop: Encodable {
        var name: String
        var aspect: String
        var hls: String
        var dash: String
        var path: String
    }

    var id: String
    var title: String?
    var profile: String
    var status: AssetStatus
    var progress: Double
    /// True once players can start: the package is complete, or its first segments are listed while it is made.
    var playable: Bool
    /// Seconds players can watch now (the whole duration once ready).
    var secondsReady: Double
    var error: ErrorBody?
    var published: Bool
    var createdAt: Date
    var updatedAt: Date
    var duration: Double?
    var renditions: [Rendition]
    var audio: [Track]
    var captions: [Track]
    /// Per-title: what the analysis measured and which rungs it left out.
    var perTitle: PerTitleFacts?
    /// An HDR master's range and how it was converted (tone-mapped to SDR); absent for SDR masters.
    var dynamicRange: DynamicRangeFacts?
    /// Where players find the package; they answer 404 until the asset is playable and published.
    var playback: Playback
    var thumbnails: Thumbnails?
    /// Smart-crop presentations, when the profile asked for them.
    var crops: [Crop]?
    /// The work done for the asset, unit by unit (`GET /v1/assets/{id}` only).
    var units: [WorkUnitSummary]?

    init(_ asset: AssetRecord, sidecars: [SidecarRecord], baseURL: String) {
        let facts = asset.factsJSON.flatMap { try? JSONDecoder().decode(PackageFacts.self, from: Data($0.utf8)) }
        id = asset.id
        title = asset.title
        profile = asset.profileName
        status = asset.status
        progress = (asset.progress * 1000).rounded() / 1000
        playable = asset.isPlayable
        let ready = asset.status == .ready ? facts?.durationSeconds ?? 0 : asset.isPlayable ? asset.playableSeconds : 0
        secondsReady = (ready * 1000).rounded() / 1000
        error = asset.errorCode.map { ErrorBody(code: $0, message: asset.errorMessage ?? "") }
        published = asset.published
        createdAt = asset.createdAt
        updatedAt = asset.updatedAt
        duration = facts.map { ($0.durationSeconds * 1000).rounded() / 1000 }
        renditions = facts?.video.map {
            Rendition(name: $0.id, width: $0.width, height: $0.height, codecs: $0.codecs, frameRate: $0.frameRate.decimal,
                      peakBitRate: $0.timeline.peakBitRate, averageBitRate: $0.timeline.averageBitRate,
                      quality: $0.quality, rateControl: $0.rateControl)
        } ?? []
        perTitle = facts?.perTitle
        dynamicRange = facts?.dynamicRange
        let waiting = sidecars.filter { $0.state != .packaged }
        audio = (facts?.audio.map { Track(id: $0.id, language: $0.language, kind: $0.role.rawValue, name: $0.name, status: "ready") } ?? [])
            + waiting.filter { $0.kind == .audio }.map { Track(language: $0.language, kind: $0.variant, status: $0.state.rawValue, error: $0.errorMessage) }
        captions = (facts?.subtitles.map { Track(id: $0.id, language: $0.language, kind: $0.kind.rawValue, name: $0.name, status: "ready") } ?? [])
            + waiting.filter { $0.kind == .captions }.map { Track(language: $0.language, kind: $0.variant, status: $0.state.rawValue, error: $0.errorMessage) }
        playback = Playback(hls: "\(baseURL)/stream/\(asset.id)/master.m3u8", dash: "\(baseURL)/stream/\(asset.id)/manifest.mpd")
        let stream = "\(baseURL)/stream/\(asset.id)"
        crops = facts?.crops.map { crops in
            crops.map { Crop(name: $0.name, aspect: $0.aspect, hls: "\(stream)/\($0.hlsPath)", dash: "\(stream)/\($0.dashPath)", path: "\(stream)/\($0.pathFile)") }
        }
        thumbnails = facts?.thumbnails.map {
            Thumbnails(poster: $0.poster.map { "\(baseURL)/stream/\(asset.id)/\($0.file)" },
                       storyboard: $0.storyboard.map { "\(baseURL)/stream/\(asset.id)/\($0.file)" })
        }
    }
}

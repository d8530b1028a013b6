import Foundation
import StrataManifest
import StrataProfiles

/// Everything the page's script needs to play one asset: the preset's look and start settings (after
/// query overrides) and the package's tracks with their segment times, taken from the measured facts.
struct PlayerConfiguration: Encodable, Sendable {
    /// A media segment: its URL and presentation times in seconds.
    struct Segment: Encodable, Sendable {
        var url: String
        var start: Double
        var end: Double
    }

    /// Where a track's CMAF files are and how its media time maps to presentation time: what the MSE engine appends.
    struct Media: Encodable, Sendable {
        var mime: String
        var initialization: String
        /// Seconds of media time before presentation time zero (the MSE engine's timestampOffset, negated).
        var timeOffset: Double
        var segments: [Segment]

        init(_ timeline: TrackTimeline, mime: String, base: String) {
            self.mime = mime
            initialization = base + "\(timeline.directory)/\(timeline.initialization)"
            timeOffset = timeline.seconds(timeline.presentationTimeOffset)
            // Presentation times: media time minus the presentation time offset.
            segments = timeline.segments.map { segment in
                let start = timeline.seconds(segment.start - timeline.presentationTimeOffset)
                return Segment(url: base + "\(timeline.directory)/\(segment.file)", start: start,
                               end: start + timeline.seconds(segment.duration))
            }
        }
    }

    struct Video: Encodable, Sendable {
        var id: String
        var width: Int
        var height: Int
        var bandwidth: Int
        var media: Media
    }

    struct Audio: Encodable, Sendable {
        var id: String
        var language: String
        var label: String
        var role: String
        var isDefault: Bool
        var bandwidth: Int
        var media: Media
    }

    struct Caption: Encodable, Sendable {
        var id: String
        var language: String
        var label: String
        var kind: String
        var url: String
    }

    var asset: String
    var title: String
    var engine: String
    var presentation: String
    var nativeSource: String
    var dashSource: String
    var hlsSource: String
    var accentColor: String
    var controls: [String]
    var autoplay: Bool
    var muted: Bool
    var loop: Bool
    var startTime: Double
    var speeds: [Double]
    var audioLanguage: String?
    /// Language of the captions to show at start, or nil for none (forced captions still apply).
    var captionsLanguage: String?
    var duration: Double
    var poster: String?
    var storyboard: String?
    var video: [Video]
    var audio: [Audio]
    var captions: [Caption]

    /// - Parameter token: a playback token: every package URL then carries it (`/stream/{id}/t/{token}/…`).
    init(asset: String, token: String? = nil, title: String, facts: PackageFacts, preset: ViewerPreset, overrides: PageOverrides,
         thumbnails: PackageThumbnails) {
        let base = token.map { "/stream/\(asset)/t/\($0)/" } ?? "/stream/\(asset)/"
        self.asset = asset
        self.title = title
        engine = overrides.engine ?? (preset.presentation == .dash ? "mse" : "auto")
        presentation = preset.presentation.rawValue
        nativeSource = token.map { "/watch/\(asset)/t/\($0)/master.m3u8" } ?? "/watch/\(asset)/master.m3u8"
        hlsSource = base + HLSPresentation.masterPath
        dashSource = base + DASHManifest.path
        accentColor = preset.accentColor
        controls = preset.controls.map(\.rawValue)
        autoplay = overrides.autoplay ?? preset.autoplay
        muted = overrides.muted ?? (preset.muted || autoplay)
        loop = preset.loop
        duration = facts.durationSeconds
        startTime = min(overrides.startTime ?? preset.startTime, max(duration - 1, 0))
        speeds = preset.playbackSpeeds
        audioLanguage = overrides.audioLanguage ?? preset.audioLanguage
        if let chosen = overrides.captionsLanguage {
            captionsLanguage = chosen == "off" ? nil : chosen
        } else {
            captionsLanguage = preset.captionsEnabled ? preset.captionsLanguage ?? facts.subtitles.first?.language : nil
        }
        poster = thumbnails.poster.map { base + $0 }
        storyboard = thumbnails.storyboard.map { base + $0 }
        let audioPeak = facts.audio.map(\.timeline.peakBitRate).max() ?? 0
        video = facts.video.sorted { $0.height > $1.height }.map { track in
            Video(id: track.id, width: track.width, height: track.height, bandwidth: track.timeline.peakBitRate + audioPeak,
                  media: Media(track.timeline, mime: "video/mp4; codecs=\"\(track.codecs)\"", base: base))
        }
        audio = facts.audio.map { track in
            Audio(id: track.id, language: track.language, label: Self.label(track), role: track.role.rawValue,
                  isDefault: track.isDefault, bandwidth: track.timeline.peakBitRate,
                  media: Media(track.timeline, mime: "audio/mp4; codecs=\"\(track.codecs)\"", base: base))
        }
        captions = facts.subtitles.map { track in
            Caption(id: track.id, language: track.language, label: Self.label(track), kind: track.kind.rawValue,
                    url: base + "\(track.directory)/\(track.sidecarFile)")
        }
    }

    /// The track's name, saying when it is audio description (WCAG 1.2.5: findable by its label).
    static func label(_ track: AudioTrackFacts) -> String {
        switch track.role {
        case .description where !track.name.lowercased().contains("descri"): "\(track.name) (audio description)"
        case .commentary where !track.name.lowercased().contains("comment"): "\(track.name) (commentary)"
        default: track.name
        }
    }

    /// The track's name, saying when it is SDH or forced.
    static func label(_ track: SubtitleTrackFacts) -> String {
        switch track.kind {
        case .sdh: "\(track.name) (SDH)"
        case .forced: "\(track.name) (forced)"
        case .subtitles: track.name
        }
    }
}

/// The poster and storyboard files a package has, if any (relative to its root).
struct PackageThumbnails: Sendable {
    var poster: String?
    var storyboard: String?

    /// Looks for `poster.jpg` and `storyboard.vtt` at the package root: older packages have neither.
    init(folder: URL) {
        func present(_ name: String) -> String? {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) ? name : nil
        }
        poster = present("poster.jpg")
        storyboard = present("storyboard.vtt")
    }
}

import FFmpegBridge
import Foundation
import Logging
import StrataManifest

/// Who an audio track is for and what players call it.
struct AudioTrackLabel: Sendable, Hashable {
    /// Unique in the package; also its folder name under `audio/`.
    var id: String
    /// BCP 47.
    var language: String
    /// Unique among the audio tracks, human-readable.
    var name: String
    var role: AudioRole
    var isDefault: Bool
}

/// Who a caption track is for and what players call it.
struct CaptionTrackLabel: Sendable, Hashable {
    var id: String
    var language: String
    var name: String
    var kind: SubtitleKind
}

/// Where an audio track's samples come from.
enum AudioSource: Sendable {
    case master(StreamDescription)
    case sidecar(SidecarAudio)
}

/// Where a caption track's cues come from.
enum CaptionSource: Sendable {
    case master(StreamDescription)
    case sidecar(SidecarCaptions, [Cue])
}

struct PlannedAudioTrack: Sendable {
    var source: AudioSource
    var label: AudioTrackLabel
}

struct PlannedCaptionTrack: Sendable {
    var source: CaptionSource
    var label: CaptionTrackLabel
}

/// Decides the audio and caption tracks of a package: one per usable master stream (filtered by the
/// profile's languages) plus every sidecar, each with a BCP 47 language, a role, and a unique name.
enum TrackPlanner {
    /// The master's text subtitle codecs FFmpeg decodes to text (bitmap subtitles cannot become WebVTT).
    static let textSubtitleCodecs: Set<String> = ["mov_text", "subrip", "srt", "webvtt", "ass", "ssa", "text", "microdvd", "sami", "realtext", "subviewer", "jacosub", "mpl2", "pjs", "vplayer", "stl"]

    /// - Parameter existing: tracks already in the package (when adding to one): their names and ids stay
    ///   taken, and the package keeps its default.
    static func audio(master: MasterDescription?, sidecars: [SidecarAudio], roles: [Int: AudioRole],
                      keepLanguages: [String]?, existing: [AudioTrackFacts] = [], logger: Logger) -> [PlannedAudioTrack] {
        var planned: [(AudioSource, language: String, title: String?, role: AudioRole, prefersDefault: Bool)] = []
        for stream in master?.audioStreams ?? [] {
            let language = masterLanguage(stream, logger: logger)
            if let keep = keepLanguages, !keep.contains(where: { language == $0 || language.hasPrefix($0 + "-") }) {
                logger.info("leaving out audio the profile does not keep", metadata: ["stream": "\(stream.index)", "language": "\(language)"])
                continue
            }
            let role = roles[stream.index] ?? role(from: stream.dispositions)
            planned.append((.master(stream), language, stream.title, role, stream.dispositions.contains("default")))
        }
        for sidecar in sidecars {
            planned.append((.sidecar(sidecar), sidecar.language, nil, sidecar.role, false))
        }
        // Exactly one default (HLS: one DEFAULT=YES per group): the master's own default, else its first main track.
        let defaultIndex = existing.isEmpty
            ? planned.firstIndex { $0.prefersDefault && $0.role != .description } ?? planned.firstIndex { $0.role == .main } ?? 0
            : -1
        var names = UniqueNames(taken: existing.map(\.name)), ids = UniqueNames(taken: existing.map(\.id))
        return planned.enumerated().map { index, track in
            let base = track.title ?? LanguageTag.nativeName(track.language) ?? "Audio"
            let name = names.claim(base + roleSuffix(track.role, base))
            let id = ids.claim(track.role == .main ? track.language : "\(track.language)-\(track.role.rawValue)", separator: "-")
            return PlannedAudioTrack(source: track.0, label: AudioTrackLabel(
                id: id, language: track.language, name: name, role: track.role, isDefault: index == defaultIndex))
        }
    }

    static func captions(master: MasterDescription?, sidecars: [(SidecarCaptions, [Cue])], existing: [SubtitleTrackFacts] = [],
                         logger: Logger) -> [PlannedCaptionTrack] {
        var planned: [(CaptionSource, language: String, title: String?, kind: SubtitleKind)] = []
        for stream in master?.subtitleStreams ?? [] {
            guard textSubtitleCodecs.contains(stream.codec) else {
                logger.warning("leaving out picture-based subtitles, which cannot become WebVTT text",
                               metadata: ["stream": "\(stream.index)", "codec": "\(stream.codec)"])
                continue
            }
            let kind: SubtitleKind = stream.dispositions.contains("forced") ? .forced
                : stream.dispositions.contains("hearing_impaired") ? .sdh : .subtitles
            planned.append((.master(stream), masterLanguage(stream, logger: logger), stream.title, kind))
        }
        for (sidecar, cues) in sidecars {
            planned.append((.sidecar(sidecar, cues), sidecar.language, nil, sidecar.kind))
        }
        var names = UniqueNames(taken: existing.map(\.name)), ids = UniqueNames(taken: existing.map(\.id))
        return planned.map { track in
            let base = track.title ?? LanguageTag.nativeName(track.language) ?? "Subtitles"
            let suffix = track.kind == .sdh ? " (SDH)" : track.kind == .forced ? " (forced)" : ""
            let name = names.claim(base.contains(suffix.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))) ? base : base + suffix)
            let id = ids.claim(track.kind == .subtitles ? track.language : "\(track.language)-\(track.kind.rawValue)", separator: "-")
            return PlannedCaptionTrack(source: track.0, label: CaptionTrackLabel(id: id, language: track.language, name: name, kind: track.kind))
        }
    }

    /// The role a master audio stream's dispositions give it.
    static func role(from dispositions: [String]) -> AudioRole {
        if dispositions.contains("visual_impaired") || dispositions.contains("descriptions") { return .description }
        if dispositions.contains("comment") { return .commentary }
        if dispositions.contains("dub") { return .dub }
        return .main
    }

    /// A name that says what the track is: "English (audio description)", unless the title already does.
    static func roleSuffix(_ role: AudioRole, _ base: String) -> String {
        let lowered = base.lowercased()
        switch role {
        case .description where !lowered.contains("descri"): return " (audio description)"
        case .commentary where !lowered.contains("comment"): return " (commentary)"
        default: return ""
        }
    }

    private static func masterLanguage(_ stream: StreamDescription, logger: Logger) -> String {
        guard let tag = stream.language else { return "und" }
        guard let language = LanguageTag.bcp47(tag) else {
            logger.warning("unknown language tag on a master stream; treating it as undetermined",
                           metadata: ["stream": "\(stream.index)", "tag": "\(tag)"])
            return "und"
        }
        return language
    }
}

/// Hands out names that are unique by adding " 2", " 3", … to repeats.
struct UniqueNames {
    private var taken: Set<String>

    init(taken: [String] = []) {
        self.taken = Set(taken)
    }

    mutating func claim(_ name: String, separator: String = " ") -> String {
        var candidate = name
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(name)\(separator)\(number)"
            number += 1
        }
        taken.insert(candidate)
        return candidate
    }
}

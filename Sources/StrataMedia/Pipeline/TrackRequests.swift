import StrataManifest

/// An extra audio track given at transcode time (another language, audio description, commentary).
public struct SidecarAudio: Sendable, Hashable {
    public var path: String
    /// BCP 47 tag, e.g. "es".
    public var language: String
    public var role: AudioRole

    /// - Throws: `TranscodeError` (`.invalidSidecar`) when `language` is not a known language code.
    public init(path: String, language: String, role: AudioRole = .main) throws(TranscodeError) {
        self.path = path
        self.language = try TrackLanguage.normalize(language, for: "audio '\(path)'")
        self.role = role
    }
}

extension SidecarAudio {
    /// Checks now that the file holds audio FFmpeg can read; errors call it `displayName` (default: its path).
    public func validate(displayName: String? = nil) throws(TranscodeError) {
        _ = try SidecarAudioSource.open(self, displayName: displayName)
    }
}

/// A caption file given at transcode time (`.srt` or `.vtt`).
public struct SidecarCaptions: Sendable, Hashable {
    public var path: String
    /// BCP 47 tag, e.g. "en".
    public var language: String
    public var kind: SubtitleKind

    /// - Throws: `TranscodeError` (`.invalidSidecar`) when `language` is not a known language code.
    public init(path: String, language: String, kind: SubtitleKind = .subtitles) throws(TranscodeError) {
        self.path = path
        self.language = try TrackLanguage.normalize(language, for: "captions '\(path)'")
        self.kind = kind
    }
}

/// Language codes as users type them.
public enum TrackLanguage {
    /// The BCP 47 form of `code` ("eng" → "en"), or an error saying the code is unknown.
    public static func normalize(_ code: String, for what: String) throws(TranscodeError) -> String {
        guard let tag = LanguageTag.bcp47(code), tag != "und" else {
            throw TranscodeError(.invalidSidecar, "unknown language code '\(code)' for \(what); use an ISO 639 code such as en, es, fr, de or eng, spa, fra, deu")
        }
        return tag
    }
}

extension SidecarCaptions {
    /// Checks now that the file parses as SubRip or WebVTT; errors call it `displayName` (default: its path).
    public func validate(displayName: String? = nil) throws(TranscodeError) {
        _ = try CaptionFile.cues(self, displayName: displayName)
    }
}

/// A look for the player page that operators choose per page or per embed: colours, logo, which
/// controls show, how playback starts, and which tracks are picked first.
public struct ViewerPreset: Sendable, Hashable, Codable {
    /// The controls a preset can show, in the order the control bar lays them out.
    public enum Control: String, Sendable, Hashable, Codable, CaseIterable {
        case play, seek, time, volume, quality, audio, captions, speed, fullscreen, pip
    }

    /// Which manifest the page plays: HLS (native where the browser has it) or DASH (always the MSE engine).
    public enum Presentation: String, Sendable, Hashable, Codable, CaseIterable {
        case hls, dash
    }

    /// Letters, digits, `-` and `_`: a name, never a path.
    public var name: String
    public var description: String?
    /// `#rrggbb` (or `#rgb`), used for the seek bar, focus rings and selected menu items.
    public var accentColor: String
    /// An `https://`/`http://` URL or a site-relative path (`/brand/logo.svg`), shown in the corner.
    public var logo: String?
    public var controls: [Control]
    public var autoplay: Bool
    public var muted: Bool
    public var loop: Bool
    /// BCP 47 language of the audio track to start with; the package's default track when nil or absent.
    public var audioLanguage: String?
    public var captionsEnabled: Bool
    /// BCP 47 language of the captions to show when `captionsEnabled`.
    public var captionsLanguage: String?
    public var playbackSpeeds: [Double]
    /// Seconds into the video where playback starts.
    public var startTime: Double
    public var presentation: Presentation

    public init(name: String, description: String? = nil, accentColor: String = "#e0457b", logo: String? = nil,
                controls: [Control] = Control.allCases, autoplay: Bool = false, muted: Bool = false, loop: Bool = false,
                audioLanguage: String? = nil, captionsEnabled: Bool = false, captionsLanguage: String? = nil,
                playbackSpeeds: [Double] = [0.5, 0.75, 1, 1.25, 1.5, 2], startTime: Double = 0,
                presentation: Presentation = .hls) {
        self.name = name
        self.description = description
        self.accentColor = accentColor
        self.logo = logo
        self.controls = controls
        self.autoplay = autoplay
        self.muted = muted
        self.loop = loop
        self.audioLanguage = audioLanguage
        self.captionsEnabled = captionsEnabled
        self.captionsLanguage = captionsLanguage
        self.playbackSpeeds = playbackSpeeds
        self.startTime = startTime
        self.presentation = presentation
    }

    enum CodingKeys: String, CodingKey {
        case name, description, logo, controls, autoplay, muted, loop, presentation
        case accentColor = "accent_color", audioLanguage = "audio_language", captionsEnabled = "captions_enabled"
        case captionsLanguage = "captions_language", playbackSpeeds = "playback_speeds", startTime = "start_time"
    }
}

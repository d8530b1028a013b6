/// What a profile may ask of each video codec: presets, profiles, levels and tiers its encoder accepts.
public struct VideoCodecRules: Sendable {
    /// Encoder presets, fastest last for SVT-AV1 (13) and first for x264/x265 (ultrafast).
    public let presets: [String]
    public let profiles: [String]
    public let levels: [String]
    /// Tiers (HEVC only); empty when the codec has none or its encoder cannot signal them.
    public let tiers: [String]
    /// Settings a rendition gets when nothing in the profile names them.
    public let defaultPreset: String
    public let defaultProfile: String

    /// x264 and x265 share preset names.
    static let x26xPresets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"]

    /// The rules for `codec`.
    public static func of(_ codec: VideoCodec) -> VideoCodecRules {
        switch codec {
        case .h264:
            VideoCodecRules(
                presets: x26xPresets, profiles: ["baseline", "main", "high"],
                levels: ["3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2"],
                tiers: [], defaultPreset: "fast", defaultProfile: "high")
        case .hevc:
            // 8-bit 4:2:0 output: Main only (Main10 is for HDR, which Strata does not output yet).
            // Levels from H.265 Annex A table A.8.
            VideoCodecRules(
                presets: x26xPresets, profiles: ["main"],
                levels: ["3.0", "3.1", "4.0", "4.1", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2"],
                tiers: ["main", "high"], defaultPreset: "veryfast", defaultProfile: "main")
        case .av1:
            // SVT-AV1 presets 0 (slowest) to 13; levels from AV1 spec annex A.3 (seq_level_idx = (X-2)*4 + Y).
            // No tiers: SVT-AV1 1.4 (Debian 12) writes seq_tier 0 whatever it is asked.
            VideoCodecRules(
                presets: (0...13).map(String.init), profiles: ["main"],
                levels: ["2.0", "2.1", "3.0", "3.1", "4.0", "4.1", "5.0", "5.1", "5.2", "5.3", "6.0", "6.1", "6.2", "6.3"],
                tiers: [], defaultPreset: "10", defaultProfile: "main")
        }
    }
}

import StrataProfiles

/// The libavcodec encoder and private options for a rung's codec: closed GOPs, a keyframe exactly where the
/// schedule puts one, no in-band parameter sets (they live in the CMAF init segment).
struct VideoCodecOptions {
    var encoderName: String
    var options: [String: String]

    init(spec: RenditionSpec, keyframeInterval: Int, width: Int, height: Int, frameRate: Double) {
        switch spec.codec {
        case .h264:
            encoderName = "libx264"
            options = [
                "preset": spec.preset,
                "profile": spec.profile,
                // Keyframes come only from the schedule: no scene-cut IDRs that would break alignment across
                // rungs, closed GOPs, and a forced keyframe is a real IDR.
                "x264-params": "scenecut=0:open-gop=0",
                "forced-idr": "1",
            ]
            if let level = spec.level { options["level"] = level }
        case .hevc:
            encoderName = "libx265"
            // x265 honours a frame's I picture type as an IDR with forced-idr; repeat-headers=0 because hvc1
            // (ISO/IEC 14496-15 8.4.1) carries VPS/SPS/PPS only in the sample entry.
            var params = ["keyint=\(keyframeInterval)", "min-keyint=\(keyframeInterval)", "scenecut=0", "open-gop=0",
                          "repeat-headers=0", "log-level=error"]
            if let level = spec.level { params.append("level-idc=\(level)") }
            if spec.tier == "high" { params.append("high-tier=1") }
            options = ["preset": spec.preset, "profile": spec.profile, "forced-idr": "1", "x265-params": params.joined(separator: ":")]
        case .av1:
            encoderName = "libsvtav1"
            // SVT-AV1 1.4 ignores a frame's requested picture type, so keyframes come from its fixed intra period
            // (gop_size), which the schedule keeps whole (KeyframeSchedule.wholeFrameGOPs). irefresh-type=2 makes
            // each one a closed-GOP key frame; scene-change detection stays off.
            options = ["preset": spec.preset, "svtav1-params": "irefresh-type=2:scd=0"]
            // SVT-AV1 writes seq_level_idx 0 (level 2.0) unless told, so the level is always given (as 10×X.Y).
            let level = spec.level ?? AV1Level.smallest(width: width, height: height, frameRate: frameRate, maxBitRate: spec.maxrate)
            options["level"] = level.replacingOccurrences(of: ".", with: "")
        }
    }
}

/// AV1 levels (AV1 specification annex A.3), smallest first, with the main-tier limits Strata checks.
enum AV1Level {
    /// name, MaxPicSize, MaxHSize, MaxVSize, MaxDisplayRate (samples/s), main-tier MaxBitrate (bit/s).
    static let table: [(name: String, picture: Int, width: Int, height: Int, displayRate: Double, bitRate: Int)] = [
        ("2.0", 147_456, 2048, 1152, 4_423_680, 1_500_000),
        ("2.1", 278_784, 2816, 1584, 8_363_520, 3_000_000),
        ("3.0", 665_856, 4352, 2448, 19_975_680, 6_000_000),
        ("3.1", 1_065_024, 5504, 3096, 31_950_720, 10_000_000),
        ("4.0", 2_359_296, 6144, 3456, 70_778_880, 12_000_000),
        ("4.1", 2_359_296, 6144, 3456, 141_557_760, 20_000_000),
        ("5.0", 8_912_896, 8192, 4352, 267_386_880, 30_000_000),
        ("5.1", 8_912_896, 8192, 4352, 534_773_760, 40_000_000),
        ("5.2", 8_912_896, 8192, 4352, 1_069_547_520, 60_000_000),
        ("6.0", 35_651_584, 16384, 8704, 1_069_547_520, 60_000_000),
        ("6.1", 35_651_584, 16384, 8704, 2_139_095_040, 100_000_000),
        ("6.2", 35_651_584, 16384, 8704, 4_278_190_080, 160_000_000),
    ]

    /// The smallest level whose picture size, display rate and main-tier bit rate fit the rung.
    static func smallest(width: Int, height: Int, frameRate: Double, maxBitRate: Int) -> String {
        let samples = width * height
        let fit = table.first {
            samples <= $0.picture && width <= $0.width && height <= $0.height
                && Double(samples) * frameRate <= $0.displayRate && maxBitRate <= $0.bitRate
        }
        return fit?.name ?? "6.3"
    }
}

/// Compares a variant's `CODECS` video entry with what ffprobe decodes: codec, profile and level
/// (H.264 `avc1.PPCCLL`, HEVC `hvc1.P.C.TL.B` per ISO/IEC 14496-15 E.3, AV1 `av01.P.LLT.DD`).
public enum VideoCodecCheck {
    /// Why `stream` does not match `codecs`, or nil when it does.
    public static func mismatch(codecs: String, stream: ProbeStream) -> String? {
        let entries = codecs.split(separator: ",").map(String.init)
        guard let video = entries.first(where: { ["avc1.", "hvc1.", "av01."].contains(String($0.prefix(5))) }) else {
            return "CODECS \(codecs) has no avc1, hvc1 or av01 entry"
        }
        let fields = video.split(separator: ".").map(String.init)
        let expected: (codec: String, profile: String?, level: Int?)
        switch fields[0] {
        case "avc1":
            let hex = fields.count > 1 ? fields[1] : ""
            let profileIDC = Int(hex.prefix(2), radix: 16) ?? -1
            expected = ("h264", [66: "Constrained Baseline", 77: "Main", 100: "High"][profileIDC], Int(hex.suffix(2), radix: 16))
        case "hvc1":
            // hvc1.<profile>.<compat>.<tier><level_idc>.<constraints>; ffprobe's level is general_level_idc.
            guard fields.count >= 4 else { return "\(video) is not a complete hvc1 string" }
            expected = ("hevc", [1: "Main", 2: "Main 10"][Int(fields[1]) ?? -1], Int(fields[3].dropFirst()))
        default:
            // av01.<profile>.<seq_level_idx><tier>.<bit depth>
            guard fields.count >= 4 else { return "\(video) is not a complete av01 string" }
            expected = ("av1", [0: "Main", 1: "High", 2: "Professional"][Int(fields[1]) ?? -1], Int(fields[2].dropLast()))
        }
        if stream.codec_name != expected.codec { return "CODECS says \(expected.codec), ffprobe decodes \(stream.codec_name ?? "?")" }
        if let profile = stream.profile, let wanted = expected.profile, !profile.hasSuffix(wanted) && profile != wanted {
            return "CODECS says profile \(wanted), ffprobe says \(profile)"
        }
        // ffprobe's level: level_idc (H.264), general_level_idc (HEVC), seq_level_idx (AV1).
        if stream.level != expected.level {
            return "CODECS \(video) says level \(expected.level ?? -1), ffprobe says \(stream.level ?? -1)"
        }
        return nil
    }
}

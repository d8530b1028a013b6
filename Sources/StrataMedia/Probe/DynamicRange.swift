/// Whether a master's video is HDR, by its transfer characteristics (ITU-T H.273 table 3).
enum DynamicRange: String, Sendable {
    case sdr
    /// SMPTE ST 2084 (transfer 16).
    case pq = "PQ"
    /// ARIB STD-B67 hybrid log-gamma (transfer 18).
    case hlg = "HLG"

    /// The range FFmpeg's transfer name (`av_color_transfer_name`) stands for.
    init(transferName: String?) {
        switch transferName {
        case "smpte2084": self = .pq
        case "arib-std-b67": self = .hlg
        default: self = .sdr
        }
    }

    /// The one-line warning for an HDR master: every rung is 8-bit SDR-range output without tone mapping.
    var warning: String? {
        self == .sdr ? nil : "the master is HDR (\(rawValue)); Strata makes 8-bit renditions without tone mapping, "
            + "so they keep \(rawValue) code values and look washed out on SDR screens (convert the master to SDR first)"
    }
}

import StrataManifest

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

    /// The range of a master's video stream, by its transfer tag.
    init(stream: StreamDescription) {
        self.init(transferName: stream.colorTags.names["transfer"])
    }

    /// What the package records about the range: nothing for SDR, else the master's range and the tone mapping.
    var facts: DynamicRangeFacts? {
        self == .sdr ? nil : DynamicRangeFacts(master: rawValue, conversion: ToneMapping.conversion, renditions: "SDR")
    }
}

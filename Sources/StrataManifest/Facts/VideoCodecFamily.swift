/// The codec a video track's RFC 6381 string names, in the order players should meet them.
public enum VideoCodecFamily: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// H.264 first: HLS authoring spec 1.2 keeps H.264 variants for devices without HEVC or AV1.
    case avc, hevc, av1, other

    /// The family of `codecs`, e.g. "hvc1.1.6.L93.90" → `.hevc`.
    public init(codecs: String) {
        switch codecs.prefix(4) {
        case "avc1", "avc3": self = .avc
        case "hvc1", "hev1": self = .hevc
        case "av01": self = .av1
        default: self = .other
        }
    }

    public static func < (lhs: VideoCodecFamily, rhs: VideoCodecFamily) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Array where Element == VideoTrackFacts {
    /// The tracks grouped by codec family, H.264 first, each group in its original (ladder) order.
    var byCodecFamily: [[VideoTrackFacts]] {
        VideoCodecFamily.allCases.map { family in filter { VideoCodecFamily(codecs: $0.codecs) == family } }.filter { !$0.isEmpty }
    }
}

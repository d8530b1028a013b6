/// An HLS master (multivariant) playlist as a value; `render()` gives its text (RFC 8216 §4.3.4).
public struct HLSMasterPlaylist: Sendable, Hashable {
    public var version: Int
    public var independentSegments: Bool
    /// `EXT-X-MEDIA` lines: alternate audio and subtitles.
    public var renditions: [HLSRendition]
    /// `EXT-X-STREAM-INF` lines.
    public var variants: [HLSVariant]
    /// `EXT-X-I-FRAME-STREAM-INF` lines (trick play).
    public var iFrameVariants: [HLSIFrameVariant]

    public init(version: Int = 7, independentSegments: Bool = true, renditions: [HLSRendition], variants: [HLSVariant],
                iFrameVariants: [HLSIFrameVariant]) {
        self.version = version
        self.independentSegments = independentSegments
        self.renditions = renditions
        self.variants = variants
        self.iFrameVariants = iFrameVariants
    }

    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(version)"]
        if independentSegments { lines.append("#EXT-X-INDEPENDENT-SEGMENTS") }
        if !renditions.isEmpty { lines.append("") }
        lines += renditions.map { "#EXT-X-MEDIA:" + $0.attributes.rendered }
        for variant in variants {
            lines.append("")
            lines.append("#EXT-X-STREAM-INF:" + variant.attributes.rendered)
            lines.append(variant.uri)
        }
        if !iFrameVariants.isEmpty { lines.append("") }
        lines += iFrameVariants.map { "#EXT-X-I-FRAME-STREAM-INF:" + $0.attributes.rendered }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// An `EXT-X-MEDIA` rendition: one alternate audio or subtitle track.
public struct HLSRendition: Sendable, Hashable {
    public enum MediaType: String, Sendable, Hashable {
        case audio = "AUDIO", subtitles = "SUBTITLES"
    }

    public var type: MediaType
    public var groupID: String
    /// Unique within the group and human-readable.
    public var name: String
    /// BCP 47 tag.
    public var language: String?
    public var isDefault: Bool
    public var autoselect: Bool
    public var forced: Bool
    /// Uniform type identifiers such as "public.accessibility.describes-video".
    public var characteristics: [String]
    /// Audio channel count, e.g. "2".
    public var channels: String?
    public var uri: String

    public init(type: MediaType, groupID: String, name: String, language: String?, isDefault: Bool, autoselect: Bool,
                forced: Bool = false, characteristics: [String] = [], channels: String? = nil, uri: String) {
        self.type = type
        self.groupID = groupID
        self.name = name
        self.language = language
        self.isDefault = isDefault
        self.autoselect = autoselect
        self.forced = forced
        self.characteristics = characteristics
        self.channels = channels
        self.uri = uri
    }

    var attributes: HLSAttributeList {
        var list = HLSAttributeList()
        list.enumerated("TYPE", type.rawValue)
        list.quoted("GROUP-ID", groupID)
        list.quoted("NAME", name)
        if let language { list.quoted("LANGUAGE", language) }
        list.enumerated("DEFAULT", isDefault ? "YES" : "NO")
        list.enumerated("AUTOSELECT", autoselect ? "YES" : "NO")
        // RFC 8216 §4.3.4.1: FORCED applies to SUBTITLES only.
        if type == .subtitles { list.enumerated("FORCED", forced ? "YES" : "NO") }
        if !characteristics.isEmpty { list.quoted("CHARACTERISTICS", characteristics.joined(separator: ",")) }
        if let channels { list.quoted("CHANNELS", channels) }
        list.quoted("URI", uri)
        return list
    }
}

/// An `EXT-X-STREAM-INF` variant: one video rendition with its audio and subtitle groups.
public struct HLSVariant: Sendable, Hashable {
    /// Peak segment bit rate of the video plus the largest audio of its group (authoring spec 1.26).
    public var bandwidth: Int
    /// Average bit rate of the video plus the largest audio of its group (authoring spec 1.27).
    public var averageBandwidth: Int
    public var codecs: [String]
    public var width: Int
    public var height: Int
    /// Three-decimal frames per second.
    public var frameRate: String
    public var audioGroup: String?
    public var subtitlesGroup: String?
    public var uri: String

    public init(bandwidth: Int, averageBandwidth: Int, codecs: [String], width: Int, height: Int, frameRate: String,
                audioGroup: String?, subtitlesGroup: String?, uri: String) {
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
        self.codecs = codecs
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.audioGroup = audioGroup
        self.subtitlesGroup = subtitlesGroup
        self.uri = uri
    }

    var attributes: HLSAttributeList {
        var list = HLSAttributeList.streamInfo(bandwidth: bandwidth, averageBandwidth: averageBandwidth, codecs: codecs,
                                               width: width, height: height)
        list.enumerated("FRAME-RATE", frameRate)
        if let audioGroup { list.quoted("AUDIO", audioGroup) }
        if let subtitlesGroup { list.quoted("SUBTITLES", subtitlesGroup) }
        // Authoring spec: say explicitly that there are no CEA-608/708 captions in the video.
        list.enumerated("CLOSED-CAPTIONS", "NONE")
        return list
    }
}

/// An `EXT-X-I-FRAME-STREAM-INF` line pointing at an I-frame-only playlist.
public struct HLSIFrameVariant: Sendable, Hashable {
    public var bandwidth: Int
    public var averageBandwidth: Int
    public var codecs: [String]
    public var width: Int
    public var height: Int
    public var uri: String

    public init(bandwidth: Int, averageBandwidth: Int, codecs: [String], width: Int, height: Int, uri: String) {
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
        self.codecs = codecs
        self.width = width
        self.height = height
        self.uri = uri
    }

    var attributes: HLSAttributeList {
        var list = HLSAttributeList.streamInfo(bandwidth: bandwidth, averageBandwidth: averageBandwidth, codecs: codecs,
                                               width: width, height: height)
        list.quoted("URI", uri)
        return list
    }
}

/// `EXT-X-PLAYLIST-TYPE` (RFC 8216 §4.3.3.5).
public enum HLSPlaylistType: String, Sendable, Hashable {
    /// Complete: ends with `EXT-X-ENDLIST`.
    case vod = "VOD"
    /// Still growing: segments are only ever appended, and there is no `EXT-X-ENDLIST` yet.
    case event = "EVENT"
}

/// An HLS media playlist, as a value; `render()` gives its text (RFC 8216 §4.3.3).
public struct HLSMediaPlaylist: Sendable, Hashable {
    public var version: Int
    public var playlistType: HLSPlaylistType
    /// `EXT-X-MAP` URI of the init segment, for fragmented MP4.
    public var mapURI: String?
    /// True for a trick-play playlist whose entries are single I-frames (`EXT-X-I-FRAMES-ONLY`).
    public var iFramesOnly: Bool
    public var independentSegments: Bool
    public var segments: [HLSSegment]
    /// The least `EXT-X-TARGETDURATION` to announce: a growing playlist must keep one value for its whole
    /// life (RFC 8216 §6.2.1), so it announces the profile's segment length from its first, shorter segment on.
    public var minimumTargetDuration = 1

    public init(version: Int = 7, playlistType: HLSPlaylistType = .vod, mapURI: String?, iFramesOnly: Bool = false,
                independentSegments: Bool = true, segments: [HLSSegment]) {
        self.version = version
        self.playlistType = playlistType
        self.mapURI = mapURI
        self.iFramesOnly = iFramesOnly
        self.independentSegments = independentSegments
        self.segments = segments
    }

    /// `EXT-X-TARGETDURATION`: every `EXTINF` rounded to the nearest integer must not exceed it (RFC 8216 §4.3.3.1).
    /// The bound is taken over the `EXTINF` values as written (3 decimals), which is what a client rounds:
    /// 6.4996 s is written 6.500 and rounds to 7, not 6. Half-way values round up (away from zero).
    public var targetDuration: Int {
        max(minimumTargetDuration, segments.map { Int(HLSSegment.writtenDuration($0.duration).rounded(.toNearestOrAwayFromZero)) }.max() ?? 1)
    }

    public func render() -> String {
        var lines = ["#EXTM3U", "#EXT-X-VERSION:\(version)", "#EXT-X-TARGETDURATION:\(targetDuration)",
                     "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:\(playlistType.rawValue)"]
        if independentSegments { lines.append("#EXT-X-INDEPENDENT-SEGMENTS") }
        if iFramesOnly { lines.append("#EXT-X-I-FRAMES-ONLY") }
        if let mapURI { lines.append("#EXT-X-MAP:URI=\"\(mapURI)\"") }
        for segment in segments {
            lines.append("#EXTINF:\(HLSSegment.formatDuration(segment.duration)),")
            if let range = segment.byteRange { lines.append("#EXT-X-BYTERANGE:\(range.count)@\(range.offset)") }
            lines.append(segment.uri)
        }
        if playlistType == .vod { lines.append("#EXT-X-ENDLIST") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One entry of a media playlist.
public struct HLSSegment: Sendable, Hashable {
    /// Seconds.
    public var duration: Double
    public var uri: String
    /// A sub-range of the file (`EXT-X-BYTERANGE`), for I-frame entries.
    public var byteRange: ByteRange?

    public init(duration: Double, uri: String, byteRange: ByteRange? = nil) {
        self.duration = duration
        self.uri = uri
        self.byteRange = byteRange
    }

    /// `EXTINF`'s duration text: seconds with 3 decimals.
    static func formatDuration(_ seconds: Double) -> String { formatDecimal(seconds, places: 3) }

    /// The duration a client reads back from `EXTINF`.
    static func writtenDuration(_ seconds: Double) -> Double { Double(formatDuration(seconds)) ?? seconds }
}

/// `count` bytes starting at `offset`.
public struct ByteRange: Sendable, Hashable {
    public var count: Int
    public var offset: Int

    public init(count: Int, offset: Int) {
        self.count = count
        self.offset = offset
    }
}

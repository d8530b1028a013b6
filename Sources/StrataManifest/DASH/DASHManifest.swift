import Foundation

/// `MPD@type` and what comes with it (ISO/IEC 23009-1 §5.3.1.2).
public enum DASHPresentationType: Sendable, Hashable {
    /// Complete, on demand: the MPD never changes again.
    case `static`
    /// Still growing: clients fetch the MPD again every `minimumUpdatePeriod` seconds; segments become
    /// available from `availabilityStart` on, as their SegmentTimeline entries appear.
    case dynamic(availabilityStart: Date, publishTime: Date, minimumUpdatePeriod: Double)
}

/// A DASH MPD as a value; `render()` gives XML valid against the DASH-MPD schema (ISO/IEC 23009-1).
public struct DASHManifest: Sendable, Hashable {
    /// The DASH-IF live profile: SegmentTemplate addressing, what every player supports for on-demand too.
    public static let liveProfile = "urn:mpeg:dash:profile:isoff-live:2011"

    public var profiles: String
    public var type: DASHPresentationType
    /// Seconds; written only for a static MPD (a dynamic one does not know its end yet).
    public var mediaPresentationDuration: Double
    /// Seconds a client buffers before playing at `@bandwidth`.
    public var minBufferTime: Double
    /// Seconds.
    public var maxSegmentDuration: Double?
    public var adaptationSets: [DASHAdaptationSet]

    public init(profiles: String = DASHManifest.liveProfile, type: DASHPresentationType = .static, mediaPresentationDuration: Double,
                minBufferTime: Double, maxSegmentDuration: Double?, adaptationSets: [DASHAdaptationSet]) {
        self.profiles = profiles
        self.type = type
        self.mediaPresentationDuration = mediaPresentationDuration
        self.minBufferTime = minBufferTime
        self.maxSegmentDuration = maxSegmentDuration
        self.adaptationSets = adaptationSets
    }

    public func render() -> String {
        let period = XMLNode("Period", [("id", "0"), ("start", "PT0S")], children: adaptationSets.map(\.node))
        var attributes: [(String, String?)] = [("xmlns", "urn:mpeg:dash:schema:mpd:2011"), ("profiles", profiles)]
        switch type {
        case .static:
            attributes += [("type", "static"), ("mediaPresentationDuration", isoDuration(mediaPresentationDuration))]
        case .dynamic(let availabilityStart, let publishTime, let minimumUpdatePeriod):
            // No timeShiftBufferDepth: every segment stays available, so players can start from the beginning.
            attributes += [("type", "dynamic"), ("availabilityStartTime", isoDateTime(availabilityStart)),
                           ("publishTime", isoDateTime(publishTime)), ("minimumUpdatePeriod", isoDuration(minimumUpdatePeriod))]
        }
        // maxSegmentDuration is an upper bound: rounded up, so no segment's S@d exceeds it (ISO/IEC 23009-1 §5.3.1.2 Table 3).
        attributes += [("maxSegmentDuration", maxSegmentDuration.map { isoDuration($0, rounding: .up) }),
                       ("minBufferTime", isoDuration(minBufferTime))]
        let mpd = XMLNode("MPD", attributes, children: [period])
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + mpd.render()
    }
}

/// A `Descriptor` element (Role, Accessibility, AudioChannelConfiguration, …).
public struct DASHDescriptor: Sendable, Hashable {
    public var schemeIdUri: String
    public var value: String

    public init(schemeIdUri: String, value: String) {
        self.schemeIdUri = schemeIdUri
        self.value = value
    }

    /// ISO/IEC 23009-1 role scheme (main, alternate, dub, commentary, subtitle, caption, description, …).
    public static func role(_ value: String) -> DASHDescriptor {
        DASHDescriptor(schemeIdUri: "urn:mpeg:dash:role:2011", value: value)
    }

    /// Channel count in the MPEG CICP scheme DASH-IF recommends.
    public static func channelConfiguration(_ channels: Int) -> DASHDescriptor {
        DASHDescriptor(schemeIdUri: "urn:mpeg:mpegB:cicp:ChannelConfiguration", value: String(channels))
    }

    func node(_ name: String) -> XMLNode {
        XMLNode(name, [("schemeIdUri", schemeIdUri), ("value", value)])
    }
}

/// One `AdaptationSet`: interchangeable representations of one content kind, language and role.
public struct DASHAdaptationSet: Sendable, Hashable {
    public var id: Int
    public var contentType: String
    public var mimeType: String
    public var lang: String?
    public var segmentAlignment: Bool
    public var startWithSAP: Int?
    public var maxWidth: Int?
    public var maxHeight: Int?
    public var maxFrameRate: String?
    public var par: String?
    public var audioChannelConfiguration: DASHDescriptor?
    public var accessibility: [DASHDescriptor]
    public var roles: [DASHDescriptor]
    public var representations: [DASHRepresentation]

    public init(id: Int, contentType: String, mimeType: String, lang: String? = nil, segmentAlignment: Bool = true,
                startWithSAP: Int? = 1, maxWidth: Int? = nil, maxHeight: Int? = nil, maxFrameRate: String? = nil,
                par: String? = nil, audioChannelConfiguration: DASHDescriptor? = nil, accessibility: [DASHDescriptor] = [],
                roles: [DASHDescriptor], representations: [DASHRepresentation]) {
        self.id = id
        self.contentType = contentType
        self.mimeType = mimeType
        self.lang = lang
        self.segmentAlignment = segmentAlignment
        self.startWithSAP = startWithSAP
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxFrameRate = maxFrameRate
        self.par = par
        self.audioChannelConfiguration = audioChannelConfiguration
        self.accessibility = accessibility
        self.roles = roles
        self.representations = representations
    }

    var node: XMLNode {
        // Child order follows the schema: RepresentationBaseType's elements, then Accessibility, Role, Representation.
        var children: [XMLNode] = []
        if let audioChannelConfiguration { children.append(audioChannelConfiguration.node("AudioChannelConfiguration")) }
        children += accessibility.map { $0.node("Accessibility") }
        children += roles.map { $0.node("Role") }
        children += representations.map(\.node)
        return XMLNode("AdaptationSet", [
            ("id", String(id)),
            ("contentType", contentType),
            ("mimeType", mimeType),
            ("lang", lang),
            ("segmentAlignment", segmentAlignment ? "true" : nil),
            ("startWithSAP", startWithSAP.map(String.init)),
            ("maxWidth", maxWidth.map(String.init)),
            ("maxHeight", maxHeight.map(String.init)),
            ("maxFrameRate", maxFrameRate),
            ("par", par),
        ], children: children)
    }
}

/// One `Representation`: a single encoding, addressed by a segment template or a single file.
public struct DASHRepresentation: Sendable, Hashable {
    public var id: String
    public var bandwidth: Int
    public var codecs: String?
    public var width: Int?
    public var height: Int?
    public var frameRate: String?
    public var sar: String?
    public var audioSamplingRate: Int?
    /// A single-file representation (e.g. a WebVTT sidecar), relative to the MPD.
    public var baseURL: String?
    public var segmentTemplate: DASHSegmentTemplate?

    public init(id: String, bandwidth: Int, codecs: String? = nil, width: Int? = nil, height: Int? = nil,
                frameRate: String? = nil, sar: String? = nil, audioSamplingRate: Int? = nil, baseURL: String? = nil,
                segmentTemplate: DASHSegmentTemplate? = nil) {
        self.id = id
        self.bandwidth = bandwidth
        self.codecs = codecs
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.sar = sar
        self.audioSamplingRate = audioSamplingRate
        self.baseURL = baseURL
        self.segmentTemplate = segmentTemplate
    }

    var node: XMLNode {
        var children: [XMLNode] = []
        if let baseURL { children.append(XMLNode.text("BaseURL", baseURL)) }
        if let segmentTemplate { children.append(segmentTemplate.node) }
        return XMLNode("Representation", [
            ("id", id),
            ("bandwidth", String(bandwidth)),
            ("codecs", codecs),
            ("width", width.map(String.init)),
            ("height", height.map(String.init)),
            ("frameRate", frameRate),
            ("sar", sar),
            ("audioSamplingRate", audioSamplingRate.map(String.init)),
        ], children: children)
    }
}

/// `SegmentTemplate` with a `SegmentTimeline` listing every segment's real duration.
public struct DASHSegmentTemplate: Sendable, Hashable {
    public var timescale: Int
    public var presentationTimeOffset: Int64
    /// The init segment; nil for text segments, which need none (WebVTT).
    public var initialization: String?
    public var media: String
    public var startNumber: Int
    public var timeline: [DASHTimelineEntry]

    public init(timescale: Int, presentationTimeOffset: Int64, initialization: String?, media: String, startNumber: Int,
                timeline: [DASHTimelineEntry]) {
        self.timescale = timescale
        self.presentationTimeOffset = presentationTimeOffset
        self.initialization = initialization
        self.media = media
        self.startNumber = startNumber
        self.timeline = timeline
    }

    /// Run-length encodes consecutive segments of equal duration into `S@r` (ISO/IEC 23009-1 §5.3.9.6).
    public static func timeline(starts: [Int64], durations: [Int64]) -> [DASHTimelineEntry] {
        var entries: [DASHTimelineEntry] = []
        var expectedStart: Int64? = nil
        for (start, duration) in zip(starts, durations) {
            if let last = entries.last, last.duration == duration, start == expectedStart {
                entries[entries.count - 1].repeatCount += 1
            } else {
                entries.append(DASHTimelineEntry(start: start == expectedStart ? nil : start, duration: duration, repeatCount: 0))
            }
            expectedStart = start + duration
        }
        return entries
    }

    var node: XMLNode {
        let entries = timeline.map { entry in
            XMLNode("S", [("t", entry.start.map(String.init)), ("d", String(entry.duration)),
                          ("r", entry.repeatCount > 0 ? String(entry.repeatCount) : nil)])
        }
        return XMLNode("SegmentTemplate", [
            ("timescale", String(timescale)),
            ("presentationTimeOffset", presentationTimeOffset != 0 ? String(presentationTimeOffset) : nil),
            ("initialization", initialization),
            ("media", media),
            ("startNumber", String(startNumber)),
        ], children: [XMLNode("SegmentTimeline", children: entries)])
    }
}

/// One `S` element: a run of `repeatCount + 1` segments of equal duration.
public struct DASHTimelineEntry: Sendable, Hashable {
    /// Start time, present when it does not follow the previous entry.
    public var start: Int64?
    public var duration: Int64
    public var repeatCount: Int

    public init(start: Int64?, duration: Int64, repeatCount: Int) {
        self.start = start
        self.duration = duration
        self.repeatCount = repeatCount
    }
}

/// An `xs:dateTime` in UTC to the second, such as `2026-11-25T16:30:00Z`.
func isoDateTime(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
}

/// An `xs:duration` such as `PT1H2M3.5S`, with up to millisecond precision.
/// - Parameter rounding: how to reach whole milliseconds; `.up` for durations stated as upper bounds.
func isoDuration(_ seconds: Double, rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> String {
    // A nanosecond's slack keeps binary noise (6.0 s stored as 6.000000000001) from rounding up a whole millisecond.
    let scaled = seconds * 1000
    let milliseconds = Int64(rounding == .up ? (scaled - 1e-6).rounded(.up) : scaled.rounded(rounding))
    let hours = milliseconds / 3_600_000
    let minutes = (milliseconds / 60_000) % 60
    let rest = milliseconds % 60_000
    var text = "PT"
    if hours > 0 { text += "\(hours)H" }
    if minutes > 0 { text += "\(minutes)M" }
    if rest > 0 || (hours == 0 && minutes == 0) {
        let whole = rest / 1000, fraction = rest % 1000
        if fraction == 0 {
            text += "\(whole)S"
        } else {
            var digits = String(fraction)
            while digits.count < 3 { digits = "0" + digits }
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "\(whole).\(digits)S"
        }
    }
    return text
}

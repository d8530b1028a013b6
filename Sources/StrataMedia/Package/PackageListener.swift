import StrataManifest

/// Hears about each track and each media segment as the segmenters finish them, the way Shaka Packager's
/// muxer listeners feed its HLS and DASH notifiers. The manifest writers behind it never learn how the
/// segments were made, only these facts.
///
/// Called from the stage threads, so implementations synchronize themselves.
protocol PackageListener: AnyObject, Sendable {
    /// A track's writer is open and has written its init segment; `facts` has no segments yet.
    func trackOpened(_ facts: OpenedTrack)
    /// Segment `segment.file` of the track in `directory` is complete and in place under its final name.
    /// - Parameter iFrames: the I-frames inside it (video only).
    func segmentFinished(directory: String, segment: SegmentFacts, iFrames: [IFrameFacts]) throws
    /// Segments of the track in `directory` that an interrupted run already published: players may have
    /// them, so they stay exactly as they are and the new run must arrive at the same boundaries.
    func publishedSegments(of directory: String) -> PublishedSegments
}

/// A track whose writer has just opened, with its position in the package.
enum OpenedTrack: Sendable {
    case video(VideoTrackFacts, index: Int)
    case audio(AudioTrackFacts, index: Int)

    var directory: String {
        switch self {
        case .video(let facts, _): facts.timeline.directory
        case .audio(let facts, _): facts.timeline.directory
        }
    }
}

/// Segments of one track already in players' hands, with the I-frames inside them.
struct PublishedSegments: Sendable {
    var segments: [SegmentFacts] = []
    var iFrames: [IFrameFacts] = []

    static let none = PublishedSegments()
}

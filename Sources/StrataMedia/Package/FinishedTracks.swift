import StrataManifest

/// The tracks a `PackageListener` has seen open and the segments they finished, kept in order: what a growing
/// package, or a unit's journal of its progress, lists once every track has a segment.
struct FinishedTracks: Sendable {
    let videoCount: Int
    let audioCount: Int
    private var video: [Int: VideoTrackFacts] = [:]
    private var audio: [Int: AudioTrackFacts] = [:]
    /// Finished segments and their I-frames, by track directory.
    private var segments: [String: [SegmentFacts]] = [:]
    private var iFrames: [String: [IFrameFacts]] = [:]

    init(videoCount: Int, audioCount: Int) {
        self.videoCount = videoCount
        self.audioCount = audioCount
    }

    mutating func open(_ track: OpenedTrack) {
        switch track {
        case .video(let facts, let index): video[index] = facts
        case .audio(let facts, let index): audio[index] = facts
        }
    }

    mutating func add(directory: String, segment: SegmentFacts, iFrames inside: [IFrameFacts]) {
        segments[directory, default: []].append(segment)
        iFrames[directory, default: []].append(contentsOf: inside)
    }

    /// Segments every track has finished; nil until every track is open.
    var complete: Int? {
        guard video.count == videoCount, audio.count == audioCount else { return nil }
        let directories = video.values.map(\.timeline.directory) + audio.values.map(\.timeline.directory)
        return directories.map { segments[$0]?.count ?? 0 }.min() ?? 0
    }

    /// Every video track, in order, with its first `count` segments and the I-frames inside them.
    func videoTracks(through count: Int) -> [VideoTrackFacts] {
        (0..<videoCount).compactMap { video[$0] }.map { track in
            var facts = track
            facts.timeline.segments = Array(segments[track.timeline.directory, default: []].prefix(count))
            let files = Set(facts.timeline.segments.map(\.file))
            facts.iFrames = iFrames[track.timeline.directory, default: []].filter { files.contains($0.file) }
            return facts
        }
    }

    /// Every audio track, in order, with its first `count` segments.
    func audioTracks(through count: Int) -> [AudioTrackFacts] {
        (0..<audioCount).compactMap { audio[$0] }.map { track in
            var facts = track
            facts.timeline.segments = Array(segments[track.timeline.directory, default: []].prefix(count))
            return facts
        }
    }
}

extension PublishedSegments {
    /// The segments (and I-frames) `video` or `audio` list for the track in `directory`.
    init(of directory: String, video: [VideoTrackFacts], audio: [AudioTrackFacts]) {
        if let track = video.first(where: { $0.timeline.directory == directory }) {
            self.init(segments: track.timeline.segments, iFrames: track.iFrames)
        } else if let track = audio.first(where: { $0.timeline.directory == directory }) {
            self.init(segments: track.timeline.segments)
        } else {
            self.init()
        }
    }
}

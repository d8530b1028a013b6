extension DASHManifest {
    /// Path of the MPD, relative to the package root.
    public static let path = "manifest.mpd"

    /// Builds the MPD for `facts`: one video AdaptationSet per codec, one per audio track, one per caption track.
    /// While the package is `growing` the MPD is dynamic and announces provisional bit rates; caption sets
    /// list the WebVTT segments written so far.
    public init(facts: PackageFacts, growing: GrowingPackage? = nil) {
        func rate(_ id: String, _ measured: Int) -> Int { max(1, growing?.bitRate(of: id, measured: measured) ?? measured) }
        var sets: [DASHAdaptationSet] = []
        // One AdaptationSet per codec: players switch only within a set (DASH-IF IOP 3.2.13), and each
        // Representation names its own @codecs.
        for videos in facts.video.byCodecFamily {
            let largest = videos.max { $0.width * $0.height < $1.width * $1.height }!
            sets.append(DASHAdaptationSet(
                id: sets.count, contentType: "video", mimeType: "video/mp4",
                maxWidth: videos.map(\.width).max(), maxHeight: videos.map(\.height).max(),
                maxFrameRate: largest.frameRate.fraction, par: aspectRatio(largest.width, largest.height),
                roles: [.role("main")],
                representations: videos.map { video in
                    DASHRepresentation(
                        id: DASHManifest.representationID(.video, video.id), bandwidth: rate(video.id, video.timeline.peakBitRate), codecs: video.codecs,
                        width: video.width, height: video.height, frameRate: video.frameRate.fraction, sar: "1:1",
                        segmentTemplate: DASHManifest.segmentTemplate(video.timeline))
                }))
        }
        for track in facts.audio {
            var roles: [DASHDescriptor] = []
            var accessibility: [DASHDescriptor] = []
            switch track.role {
            case .main: roles = [.role("main")]
            case .dub: roles = [.role("dub")]
            case .commentary: roles = [.role("commentary")]
            case .description:
                // Signalled both ways players read it: DASH role scheme and the DVB/TV-Anytime audio purpose.
                roles = [.role("alternate")]
                accessibility = [.role("description"),
                                 DASHDescriptor(schemeIdUri: "urn:tva:metadata:cs:AudioPurposeCS:2007", value: "1")]
            }
            sets.append(DASHAdaptationSet(
                id: sets.count, contentType: "audio", mimeType: "audio/mp4", lang: track.language,
                audioChannelConfiguration: .channelConfiguration(track.channels),
                accessibility: accessibility, roles: roles,
                representations: [DASHRepresentation(
                    id: DASHManifest.representationID(.audio, track.id), bandwidth: rate(track.id, track.timeline.peakBitRate), codecs: track.codecs,
                    audioSamplingRate: track.sampleRate, segmentTemplate: DASHManifest.segmentTemplate(track.timeline))]))
        }
        // While growing, a caption set lists the WebVTT segments written so far, like audio and video.
        var textSegmentSeconds: [Double] = []
        for track in facts.subtitles {
            let totalBytes = track.segments.reduce(0) { $0 + $1.byteCount }
            let seconds = max(facts.durationSeconds, 1)
            let template = DASHManifest.segmentTemplate(track)
            textSegmentSeconds += template.timeline.map { Double($0.duration) / Double(template.timescale) }
            sets.append(DASHAdaptationSet(
                id: sets.count, contentType: "text", mimeType: "text/vtt", lang: track.language,
                segmentAlignment: false, startWithSAP: nil,
                roles: [.role(track.kind == .sdh ? "caption" : track.kind == .forced ? "forced-subtitle" : "subtitle")],
                representations: [DASHRepresentation(
                    id: DASHManifest.representationID(.text, track.id), bandwidth: max(1, Int(Double(totalBytes * 8) / seconds)),
                    segmentTemplate: template)]))
        }
        let allTimelines = facts.video.map(\.timeline) + facts.audio.map(\.timeline)
        let type: DASHPresentationType = growing.map {
            .dynamic(availabilityStart: $0.availabilityStart, publishTime: $0.publishTime, minimumUpdatePeriod: $0.updatePeriodSeconds)
        } ?? .static
        self.init(
            type: type, mediaPresentationDuration: facts.durationSeconds,
            minBufferTime: facts.targetSegmentSeconds,
            maxSegmentDuration: (allTimelines.map(\.longestSegmentSeconds) + textSegmentSeconds).max(),
            adaptationSets: sets)
    }

    /// The HLS WebVTT segments as DASH segments: the isoff-live profile addresses every Representation by
    /// SegmentTemplate (ISO/IEC 23009-1 §8.4.2), which a whole-track sidecar cannot satisfy. Cue times in the
    /// files are presentation times, so the timeline starts at 0 with no offset; milliseconds, with each
    /// boundary rounded once so the durations add up to the track's length.
    static func segmentTemplate(_ track: SubtitleTrackFacts) -> DASHSegmentTemplate {
        var ends: [Int64] = []
        var elapsed = 0.0
        for segment in track.segments {
            elapsed += segment.durationSeconds
            ends.append(Int64((elapsed * 1000).rounded()))
        }
        let starts = [0] + ends.dropLast()
        return DASHSegmentTemplate(
            timescale: 1000, presentationTimeOffset: 0, initialization: nil,
            media: "\(track.directory)/\(SubtitleTrackFacts.segmentTemplate)", startNumber: 1,
            timeline: DASHSegmentTemplate.timeline(starts: starts, durations: zip(starts, ends).map { $1 - $0 }))
    }

    /// What a Representation carries; names the prefix of its id.
    public enum ContentKind: String, Sendable {
        case video, audio, text
    }

    /// `Representation@id`, unique within the Period (ISO/IEC 23009-1 §5.3.5.2): the track's id prefixed by
    /// its kind, since tracks of different kinds share ids (English audio and English captions are both `en`).
    public static func representationID(_ kind: ContentKind, _ trackID: String) -> String { "\(kind.rawValue)-\(trackID)" }

    static func segmentTemplate(_ timeline: TrackTimeline) -> DASHSegmentTemplate {
        DASHSegmentTemplate(
            timescale: timeline.timescale, presentationTimeOffset: timeline.presentationTimeOffset,
            initialization: "\(timeline.directory)/\(timeline.initialization)",
            media: "\(timeline.directory)/\(TrackTimeline.segmentTemplate)", startNumber: 1,
            timeline: DASHSegmentTemplate.timeline(starts: timeline.segments.map(\.start), durations: timeline.segments.map(\.duration)))
    }
}

/// Width:height in lowest terms, e.g. "16:9".
func aspectRatio(_ width: Int, _ height: Int) -> String {
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let divisor = max(gcd(width, height), 1)
    return "\(width / divisor):\(height / divisor)"
}

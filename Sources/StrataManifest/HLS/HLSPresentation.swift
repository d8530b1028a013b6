/// Every HLS playlist of a package, built from measured facts, with the path each is written to.
public struct HLSPresentation: Sendable, Hashable {
    /// Path of the master playlist, relative to the package root.
    public static let masterPath = "master.m3u8"

    public var master: HLSMasterPlaylist
    /// Media and I-frame playlists by path relative to the package root.
    public var mediaPlaylists: [String: HLSMediaPlaylist]

    static let describesVideo = "public.accessibility.describes-video"
    static let transcribesDialog = "public.accessibility.transcribes-spoken-dialog"
    static let describesMusicAndSound = "public.accessibility.describes-music-and-sound"
    static let subtitlesGroup = "subs"

    /// Builds the playlists for `facts`; while the package is `growing`, as `EVENT` playlists announcing
    /// provisional bit rates, without I-frame playlists (they appear with the final playlists).
    public init(facts: PackageFacts, growing: GrowingPackage? = nil) {
        let type: HLSPlaylistType = growing == nil ? .vod : .event
        let target = Int(facts.targetSegmentSeconds.rounded(.toNearestOrAwayFromZero))
        func rate(_ id: String, _ measured: Int) -> Int { growing?.bitRate(of: id, measured: measured) ?? measured }
        var playlists: [String: HLSMediaPlaylist] = [:]
        var renditions: [HLSRendition] = []

        // One audio group per codec and channel count (authoring spec 2.x: a group holds interchangeable encodings).
        let audioGroups = Dictionary(grouping: facts.audio, by: HLSPresentation.audioGroupID)
        let groupOrder = facts.audio.map(HLSPresentation.audioGroupID).uniqued()
        for groupID in groupOrder {
            let tracks = audioGroups[groupID]!
            let defaultIndex = tracks.firstIndex(where: \.isDefault) ?? 0
            for (index, track) in tracks.enumerated() {
                let path = "\(track.timeline.directory)/index.m3u8"
                playlists[path] = HLSPresentation.mediaPlaylist(for: track.timeline, type: type, target: target)
                renditions.append(HLSRendition(
                    type: .audio, groupID: groupID, name: track.name, language: track.language,
                    isDefault: index == defaultIndex, autoselect: true,
                    characteristics: track.role == .description ? [HLSPresentation.describesVideo] : [],
                    channels: String(track.channels), uri: path))
            }
        }

        let subtitlesDefault = facts.subtitles.firstIndex(where: \.isDefault)
        for (index, track) in facts.subtitles.enumerated() {
            let path = "\(track.directory)/index.m3u8"
            playlists[path] = HLSMediaPlaylist(playlistType: type, mapURI: nil, independentSegments: false, segments: track.segments.map {
                HLSSegment(duration: $0.durationSeconds, uri: $0.file)
            })
            playlists[path]?.minimumTargetDuration = target
            renditions.append(HLSRendition(
                type: .subtitles, groupID: HLSPresentation.subtitlesGroup, name: track.name, language: track.language,
                isDefault: index == subtitlesDefault, autoselect: true, forced: track.kind == .forced,
                characteristics: track.kind == .sdh ? [HLSPresentation.transcribesDialog, HLSPresentation.describesMusicAndSound] : [],
                uri: path))
        }

        var variants: [HLSVariant] = []
        var iFrameVariants: [HLSIFrameVariant] = []
        let groups: [String?] = groupOrder.isEmpty ? [nil] : groupOrder.map { $0 }
        // H.264 variants first, so players that take the first playable variant start on it (authoring spec 1.2).
        for video in facts.video.byCodecFamily.joined() {
            let path = "\(video.timeline.directory)/index.m3u8"
            playlists[path] = HLSPresentation.mediaPlaylist(for: video.timeline, type: type, target: target)
            for groupID in groups {
                let audio = groupID.map { audioGroups[$0]! } ?? []
                // Authoring spec 1.26/1.27: the variant's rates include the largest audio rendition of its group.
                let audioPeak = audio.map { rate($0.id, $0.timeline.peakBitRate) }.max() ?? 0
                let audioAverage = audio.map { rate($0.id, $0.timeline.averageBitRate) }.max() ?? 0
                variants.append(HLSVariant(
                    bandwidth: rate(video.id, video.timeline.peakBitRate) + audioPeak,
                    averageBandwidth: rate(video.id, video.timeline.averageBitRate) + audioAverage,
                    codecs: ([video.codecs] + audio.map(\.codecs)).uniqued(),
                    width: video.width, height: video.height, frameRate: video.frameRate.decimal,
                    audioGroup: groupID, subtitlesGroup: facts.subtitles.isEmpty ? nil : HLSPresentation.subtitlesGroup,
                    uri: path))
            }
            if growing == nil, !video.iFrames.isEmpty {
                let iFramePath = "\(video.timeline.directory)/iframes.m3u8"
                playlists[iFramePath] = HLSMediaPlaylist(
                    mapURI: video.timeline.initialization, iFramesOnly: true,
                    segments: video.iFrames.map {
                        HLSSegment(duration: video.timeline.seconds($0.duration), uri: $0.file,
                                   byteRange: ByteRange(count: $0.byteCount, offset: $0.byteOffset))
                    })
                iFrameVariants.append(HLSIFrameVariant(
                    bandwidth: video.iFramePeakBitRate, averageBandwidth: video.iFrameAverageBitRate,
                    codecs: [video.codecs], width: video.width, height: video.height, uri: iFramePath))
            }
        }
        master = HLSMasterPlaylist(renditions: renditions, variants: variants, iFrameVariants: iFrameVariants)
        mediaPlaylists = playlists
    }

    static func audioGroupID(_ track: AudioTrackFacts) -> String {
        let codec = track.codecs.split(separator: ".").first.map(String.init) ?? "audio"
        return "audio-\(codec)-\(track.channels)ch"
    }

    static func mediaPlaylist(for timeline: TrackTimeline, type: HLSPlaylistType, target: Int) -> HLSMediaPlaylist {
        var playlist = HLSMediaPlaylist(playlistType: type, mapURI: timeline.initialization, segments: timeline.segments.map {
            HLSSegment(duration: timeline.seconds($0.duration), uri: $0.file)
        })
        playlist.minimumTargetDuration = target
        return playlist
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, without repeats.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

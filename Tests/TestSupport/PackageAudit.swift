import Foundation

/// Checks a finished package the way an independent QA engineer would: with xmllint, ffprobe, ffmpeg
/// and GStreamer over a web server that is not Strata's. Collects problems instead of stopping at the first.
public struct PackageAudit {
    public let root: URL
    public let masterDuration: Double
    public private(set) var problems: [String] = []
    /// What each player reported, for the record.
    public private(set) var notes: [String] = []

    /// - Parameter masterDuration: the master's length in seconds (from ffprobe of the master).
    public init(root: URL, masterDuration: Double) {
        self.root = root
        self.masterDuration = masterDuration
    }

    mutating func problem(_ text: String) { problems.append(text) }

    /// Runs every check.
    public mutating func run(playersToo: Bool = true) throws {
        try checkFiles()
        let master = try MasterPlaylistFile(contentsOf: root.appendingPathComponent("master.m3u8"))
        try checkSchema()
        try checkTags(master)
        let videos = try checkVideoRenditions(master)
        try checkBandwidth(master)
        try checkIFrames(master, videos: videos)
        if playersToo { try checkPlayers(videoFrameRate: videos.first?.frameRate) }
    }

    // MARK: Files and manifests

    mutating func checkFiles() throws {
        for file in ["master.m3u8", "manifest.mpd"] where !FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path) {
            problem("\(file) is missing")
        }
    }

    mutating func checkSchema() throws {
        let result = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, root.appendingPathComponent("manifest.mpd").path])
        if !result.succeeded { problem("manifest.mpd fails the DASH schema: \(result.stderr)") }
    }

    mutating func checkTags(_ master: MasterPlaylistFile) throws {
        if !master.lines.contains("#EXT-X-VERSION:7") { problem("master has no EXT-X-VERSION:7") }
        if !master.lines.contains("#EXT-X-INDEPENDENT-SEGMENTS") { problem("master has no EXT-X-INDEPENDENT-SEGMENTS") }
        if master.variants.isEmpty { problem("master lists no variants") }
        for variant in master.variants {
            for key in ["BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "RESOLUTION", "FRAME-RATE"] where variant.attributes[key] == nil {
                problem("variant \(variant.uri) has no \(key)")
            }
        }
        let audio = master.media.filter { $0["TYPE"] == "AUDIO" }
        for group in Set(audio.compactMap { $0["GROUP-ID"] }) {
            let members = audio.filter { $0["GROUP-ID"] == group }
            if members.filter({ $0["DEFAULT"] == "YES" }).count != 1 { problem("audio group \(group) needs exactly one DEFAULT=YES") }
            if Set(members.compactMap { $0["NAME"] }).count != members.count { problem("audio names in \(group) are not unique") }
        }
    }

    // MARK: Video renditions

    public struct VideoRendition {
        public var uri: String
        public var playlist: MediaPlaylistFile
        public var frameRate: Double
    }

    mutating func checkVideoRenditions(_ master: MasterPlaylistFile) throws -> [VideoRendition] {
        var renditions: [VideoRendition] = []
        var seen = Set<String>()
        for variant in master.variants where seen.insert(variant.uri).inserted {
            let playlistURL = root.appendingPathComponent(variant.uri)
            let playlist = try MediaPlaylistFile(contentsOf: playlistURL)
            let folder = playlistURL.deletingLastPathComponent()
            guard let map = playlist.mapURI else {
                problem("\(variant.uri) has no EXT-X-MAP")
                continue
            }
            if let target = playlist.targetDuration,
               let longest = playlist.entries.map({ Int($0.duration.rounded()) }).max(), longest > target {
                problem("\(variant.uri): an EXTINF rounds to \(longest) s, above TARGETDURATION \(target)")
            }
            // Concatenating init + every segment gives a plain fragmented MP4 that ffprobe reads directly.
            let joined = try join(folder: folder, map: map, files: playlist.entries.map(\.uri))
            defer { try? FileManager.default.removeItem(at: joined) }
            let probe = try Players.probe(joined.path)
            guard let stream = probe.streams.first(where: { $0.codec_type == "video" }) else {
                problem("\(variant.uri) holds no video")
                continue
            }
            let resolution = variant.attributes["RESOLUTION"] ?? ""
            if "\(stream.width ?? 0)x\(stream.height ?? 0)" != resolution {
                problem("\(variant.uri) is \(stream.width ?? 0)x\(stream.height ?? 0) but RESOLUTION says \(resolution)")
            }
            if let mismatch = VideoCodecCheck.mismatch(codecs: variant.attributes["CODECS"] ?? "", stream: stream) {
                problem("\(variant.uri): \(mismatch)")
            }
            if stream.sample_aspect_ratio.map({ $0 != "1:1" }) == true {
                problem("\(variant.uri) has non-square pixels (\(stream.sample_aspect_ratio!))")
            }
            // Every segment starts with an IDR frame.
            for entry in playlist.entries {
                let single = try join(folder: folder, map: map, files: [entry.uri])
                defer { try? FileManager.default.removeItem(at: single) }
                let first = try Players.frames(single.path, readIntervals: "%+#1").first
                if first?.key_frame != 1 || first?.pict_type != "I" {
                    problem("\(variant.uri) segment \(entry.uri) does not start with a keyframe")
                }
            }
            let rate = stream.avg_frame_rate.flatMap(fraction) ?? 0
            renditions.append(VideoRendition(uri: variant.uri, playlist: playlist, frameRate: rate))
        }
        // CMAF switching set: every rung has the same segment boundaries.
        if let first = renditions.first {
            for other in renditions.dropFirst() {
                let a = first.playlist.entries.map(\.duration), b = other.playlist.entries.map(\.duration)
                if a.count != b.count || zip(a, b).contains(where: { abs($0 - $1) > 0.0005 }) {
                    problem("segment boundaries differ between \(first.uri) and \(other.uri)")
                }
            }
            if abs(first.playlist.totalDuration - masterDuration) > 0.5 {
                problem("video lasts \(first.playlist.totalDuration) s, the master \(masterDuration) s")
            }
        }
        return renditions
    }

    // MARK: Bit rates

    /// Peak and average over a media playlist, measured from the files on disk.
    func measuredRates(_ playlistPath: String) throws -> (peak: Double, average: Double) {
        let url = root.appendingPathComponent(playlistPath)
        let playlist = try MediaPlaylistFile(contentsOf: url)
        let folder = url.deletingLastPathComponent()
        var peak = 0.0, bits = 0.0
        for entry in playlist.entries {
            let size = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(entry.uri).path)[.size] as? Int ?? 0
            peak = max(peak, Double(size * 8) / entry.duration)
            bits += Double(size * 8)
        }
        return (peak, bits / playlist.totalDuration)
    }

    mutating func checkBandwidth(_ master: MasterPlaylistFile) throws {
        for variant in master.variants {
            var (peak, average) = try measuredRates(variant.uri)
            let group = master.media.filter { $0["TYPE"] == "AUDIO" && $0["GROUP-ID"] == variant.attributes["AUDIO"] }
            let audio = try group.compactMap { $0["URI"] }.map(measuredRates)
            peak += audio.map(\.peak).max() ?? 0
            average += audio.map(\.average).max() ?? 0
            let bandwidth = Double(variant.attributes["BANDWIDTH"] ?? "") ?? 0
            let averageBandwidth = Double(variant.attributes["AVERAGE-BANDWIDTH"] ?? "") ?? 0
            // Authoring spec 1.26/1.27: at least what a client measures, and within 10% of it.
            if bandwidth < peak.rounded(.down) || bandwidth > peak * 1.1 {
                problem("\(variant.uri): BANDWIDTH \(Int(bandwidth)) vs measured peak \(Int(peak))")
            }
            if abs(averageBandwidth - average) > average * 0.1 {
                problem("\(variant.uri): AVERAGE-BANDWIDTH \(Int(averageBandwidth)) vs measured \(Int(average))")
            }
        }
    }

    // MARK: Trick play

    mutating func checkIFrames(_ master: MasterPlaylistFile, videos: [VideoRendition]) throws {
        if master.iFrameVariants.count != videos.count {
            problem("\(videos.count) video renditions but \(master.iFrameVariants.count) I-frame playlists")
        }
        for variant in master.iFrameVariants {
            guard let uri = variant["URI"] else { continue }
            let url = root.appendingPathComponent(uri)
            let playlist = try MediaPlaylistFile(contentsOf: url)
            let folder = url.deletingLastPathComponent()
            if !playlist.tags.contains("#EXT-X-I-FRAMES-ONLY") { problem("\(uri) lacks EXT-X-I-FRAMES-ONLY") }
            guard let map = playlist.mapURI else {
                problem("\(uri) has no EXT-X-MAP")
                continue
            }
            let initBytes = try Data(contentsOf: folder.appendingPathComponent(map))
            for entry in playlist.entries {
                guard let range = entry.byteRange else {
                    problem("\(uri): entry without EXT-X-BYTERANGE")
                    continue
                }
                let data = try Data(contentsOf: folder.appendingPathComponent(entry.uri))
                guard range.offset + range.count <= data.count else {
                    problem("\(uri): byte range \(range.count)@\(range.offset) runs past \(entry.uri)")
                    continue
                }
                let slice = data.subdata(in: range.offset..<(range.offset + range.count))
                if String(decoding: slice.dropFirst(4).prefix(4), as: UTF8.self) != "moof" {
                    problem("\(uri): byte range \(range.count)@\(range.offset) does not start at a moof box")
                    continue
                }
                // The range alone, after the init segment, must decode to exactly one keyframe.
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("strata-iframe-\(UUID().uuidString).mp4")
                try (initBytes + slice).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let frames = try Players.frames(file.path)
                if frames.count != 1 || frames.first?.key_frame != 1 {
                    problem("\(uri): byte range \(range.count)@\(range.offset) decodes to \(frames.count) frames, not one keyframe")
                }
            }
        }
    }

    // MARK: Players over HTTP

    mutating func checkPlayers(videoFrameRate: Double?) throws {
        let server = try LoopbackHTTPServer(serving: root)
        var players = PlayerChecks(baseURL: server.baseURL, masterDuration: masterDuration, videoFrameRate: videoFrameRate)
        try players.run()
        problems += players.problems
        notes += players.notes
    }

    private func join(folder: URL, map: String, files: [String]) throws -> URL {
        var data = try Data(contentsOf: folder.appendingPathComponent(map))
        for file in files { data += try Data(contentsOf: folder.appendingPathComponent(file)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-joined-\(UUID().uuidString).mp4")
        try data.write(to: url)
        return url
    }

    private func fraction(_ text: String) -> Double? {
        let parts = text.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[1] != 0 else { return nil }
        return parts[0] / parts[1]
    }
}

/// A smart-crop presentation inside a package: its own video rungs, sharing the package's audio and captions.
public struct CropFacts: Sendable, Hashable, Codable {
    /// The profile's name for the crop, also its folder under `crops/`.
    public var name: String
    /// Aspect ratio as width:height, e.g. "9:16".
    public var aspect: String
    /// The crop window in the master's displayed pixels.
    public var windowWidth: Int
    public var windowHeight: Int
    /// The crop's rungs; their directories are relative to the package root (`crops/vertical/video/720p`).
    public var video: [VideoTrackFacts]
    /// Frames where the analysis found a cut (the window may jump there).
    public var shotStarts: [Int]

    public init(name: String, aspect: String, windowWidth: Int, windowHeight: Int, video: [VideoTrackFacts], shotStarts: [Int]) {
        self.name = name
        self.aspect = aspect
        self.windowWidth = windowWidth
        self.windowHeight = windowHeight
        self.video = video
        self.shotStarts = shotStarts
    }

    /// The presentation's folder, relative to the package root.
    public var directory: String { CropFacts.directory(name) }
    /// Its HLS master playlist, relative to the package root.
    public var hlsPath: String { "\(directory)/\(HLSPresentation.masterPath)" }
    /// Its DASH MPD, relative to the package root.
    public var dashPath: String { "\(directory)/\(DASHManifest.path)" }
    /// The camera path as JSON (one window per frame), relative to the package root.
    public var pathFile: String { "\(directory)/path.json" }

    public static func directory(_ name: String) -> String { "crops/\(name)" }
}

extension PackageFacts {
    /// The facts of crop `crop` as a package of its own rooted at its folder: its rungs as the video, the
    /// package's audio and captions reached by relative URLs (`../../audio/en`), so nothing is duplicated.
    public func presentation(of crop: CropFacts) -> PackageFacts {
        let up = crop.directory.split(separator: "/").map { _ in ".." }.joined(separator: "/") + "/"
        func rooted(_ directory: String) -> String { up + directory }
        var facts = self
        facts.crops = nil
        facts.thumbnails = nil
        facts.video = crop.video.map { video in
            var video = video
            if video.timeline.directory.hasPrefix(crop.directory + "/") {
                video.timeline.directory.removeFirst(crop.directory.count + 1)
            }
            return video
        }
        facts.audio = audio.map { track in
            var track = track
            track.timeline.directory = rooted(track.timeline.directory)
            return track
        }
        facts.subtitles = subtitles.map { track in
            var track = track
            track.directory = rooted(track.directory)
            return track
        }
        return facts
    }
}

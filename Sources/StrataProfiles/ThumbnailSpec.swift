/// The stills a transcode makes besides the video: a poster and a storyboard of seek-preview tiles.
public struct ThumbnailSpec: Sendable, Hashable, Codable {
    /// Make `poster.jpg`.
    public var poster: Bool
    /// Where to look for the poster, in seconds from the start; nil picks 10% of the duration, at most
    /// `defaultPosterSecondsCap`. The sharpest non-black frame of the next two seconds wins.
    public var posterSeconds: Double?
    /// Make `storyboard.vtt` and its sprite sheets `storyboard-N.jpg`.
    public var storyboard: Bool
    /// One storyboard tile every this many seconds.
    public var intervalSeconds: Double
    /// Width of a storyboard tile in pixels; the height follows the picture's aspect ratio.
    public var tileWidth: Int

    /// The latest the poster is looked for when the profile does not say.
    public static let defaultPosterSecondsCap = 10.0

    public init(poster: Bool = true, posterSeconds: Double? = nil, storyboard: Bool = true, intervalSeconds: Double = 2, tileWidth: Int = 160) {
        self.poster = poster
        self.posterSeconds = posterSeconds
        self.storyboard = storyboard
        self.intervalSeconds = intervalSeconds
        self.tileWidth = tileWidth
    }

    /// Neither a poster nor a storyboard.
    public static let off = ThumbnailSpec(poster: false, storyboard: false)
}

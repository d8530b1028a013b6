/// The stills made beside the video, at the package root: `poster.jpg`, and `storyboard.vtt` naming
/// the sprite sheets `storyboard-1.jpg`, `storyboard-2.jpg`, … that hold the seek-preview tiles.
public struct ThumbnailFacts: Sendable, Hashable, Codable {
    public var poster: PosterFacts?
    public var storyboard: StoryboardFacts?

    public init(poster: PosterFacts?, storyboard: StoryboardFacts?) {
        self.poster = poster
        self.storyboard = storyboard
    }

    /// Every file, relative to the package root.
    public var files: [String] {
        (poster.map { [$0.file] } ?? []) + (storyboard.map { [$0.file] + $0.sheets.map(\.file) } ?? [])
    }
}

/// The poster picture.
public struct PosterFacts: Sendable, Hashable, Codable {
    public static let file = "poster.jpg"

    public var file: String
    public var width: Int
    public var height: Int
    /// Presentation time of the frame shown, in seconds.
    public var seconds: Double

    public init(file: String = PosterFacts.file, width: Int, height: Int, seconds: Double) {
        self.file = file
        self.width = width
        self.height = height
        self.seconds = seconds
    }
}

/// A WebVTT file of seek-preview cues, each pointing at one tile of a sprite sheet (`sheet.jpg#xywh=x,y,w,h`).
public struct StoryboardFacts: Sendable, Hashable, Codable {
    public static let file = "storyboard.vtt"

    public var file: String
    /// A tile every this many seconds; each cue lasts this long (the last one ends with the video).
    public var intervalSeconds: Double
    public var tileWidth: Int
    public var tileHeight: Int
    public var tiles: Int
    public var sheets: [SpriteSheetFacts]

    public init(file: String = StoryboardFacts.file, intervalSeconds: Double, tileWidth: Int, tileHeight: Int, tiles: Int, sheets: [SpriteSheetFacts]) {
        self.file = file
        self.intervalSeconds = intervalSeconds
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.tiles = tiles
        self.sheets = sheets
    }
}

/// One JPEG of storyboard tiles, left to right then top to bottom.
public struct SpriteSheetFacts: Sendable, Hashable, Codable {
    public var file: String
    public var width: Int
    public var height: Int
    public var columns: Int
    public var tiles: Int

    public init(file: String, width: Int, height: Int, columns: Int, tiles: Int) {
        self.file = file
        self.width = width
        self.height = height
        self.columns = columns
        self.tiles = tiles
    }
}

/// A presentation cut from the master at another aspect ratio (a 9:16 `vertical`, a 1:1 `square`),
/// whose window follows the subject (smart crop).
public struct CropSpec: Sendable, Hashable, Codable {
    /// Name of the presentation, used as a folder name under `crops/`: letters, digits, `-` and `_` only.
    public var name: String
    /// Width and height of the crop's aspect ratio, e.g. 9 and 16; in lowest terms.
    public var aspectWidth: Int
    public var aspectHeight: Int
    /// Output heights of the crop's rungs, largest first; nil follows the main ladder's heights.
    public var heights: [Int]?

    public init(name: String, aspectWidth: Int, aspectHeight: Int, heights: [Int]? = nil) {
        self.name = name
        self.aspectWidth = aspectWidth
        self.aspectHeight = aspectHeight
        self.heights = heights
    }

    /// The aspect ratio as written in profiles and the API, e.g. "9:16".
    public var aspect: String { "\(aspectWidth):\(aspectHeight)" }

    /// Width over height.
    public var aspectRatio: Double { Double(aspectWidth) / Double(aspectHeight) }
}

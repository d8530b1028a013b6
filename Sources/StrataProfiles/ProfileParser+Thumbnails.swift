import Yams

extension ProfileParser {
    static let thumbnailKeys = ["poster", "poster_seconds", "storyboard", "interval_seconds", "tile_width"]

    /// `thumbnails: {poster: true, poster_seconds: 5, storyboard: true, interval_seconds: 2, tile_width: 160}`,
    /// or `thumbnails: false` for none.
    static func readThumbnails(_ node: DocumentNode?) throws(ProfileError) -> ThumbnailSpec {
        guard let node else { return ThumbnailSpec() }
        if case .scalar = node.node {
            return try node.boolean() ? ThumbnailSpec() : .off
        }
        let mapping = try node.mapping(allowedKeys: thumbnailKeys)
        var spec = ThumbnailSpec()
        if let poster = try mapping["poster"]?.boolean() { spec.poster = poster }
        if let seconds = try mapping["poster_seconds"]?.number(in: 0...86_400) { spec.posterSeconds = seconds }
        if let storyboard = try mapping["storyboard"]?.boolean() { spec.storyboard = storyboard }
        if let interval = try mapping["interval_seconds"]?.number(in: 0.5...600) { spec.intervalSeconds = interval }
        if let widthNode = mapping["tile_width"] {
            let width = try widthNode.integer(in: 32...640)
            // Tiles sit side by side in 4:2:0 sprite sheets, so their edges must fall on chroma samples.
            guard width % 2 == 0 else { throw widthNode.error("\(width) is odd; use an even width such as \(width + 1)") }
            spec.tileWidth = width
        }
        return spec
    }
}

import FFmpegBridge

/// How displayed (upright, square-pixel) coordinates relate to the decoded picture.
struct DisplayGeometry: Sendable, Hashable {
    var displayWidth: Int
    var displayHeight: Int
    var rotation: QuarterTurn
}

extension RenditionPicture {
    /// The picture for the part of `source` inside `window` (displayed coordinates), scaled to this
    /// rendition's size: a smart-crop rung's picture. Valid until the next call.
    func make(from source: Frame, window: CropWindow, geometry: DisplayGeometry) throws -> Frame {
        let rectangle = window.inDecodedPicture(width: source.width, height: source.height, geometry: geometry)
        return try make(from: try source.cropped(x: rectangle.x, y: rectangle.y, width: rectangle.width, height: rectangle.height))
    }
}

extension CropWindow {
    /// The same rectangle in a decoded picture of `width`×`height`: turned back (the inverse of
    /// `Frame.fill(rotating:by:)`'s mapping), then stretched by the sample aspect ratio; even and inside.
    func inDecodedPicture(width: Int, height: Int, geometry: DisplayGeometry) -> CropWindow {
        let turned = geometry.rotation.swapsDimensions
        let unturnedWidth = turned ? geometry.displayHeight : geometry.displayWidth
        let unturnedHeight = turned ? geometry.displayWidth : geometry.displayHeight
        let unturned: CropWindow = switch geometry.rotation {
        case .none: self
        case .clockwise: CropWindow(x: y, y: unturnedHeight - x - self.width, width: self.height, height: self.width)
        case .halfTurn: CropWindow(x: unturnedWidth - x - self.width, y: unturnedHeight - y - self.height, width: self.width, height: self.height)
        case .counterClockwise: CropWindow(x: unturnedWidth - y - self.height, y: x, width: self.height, height: self.width)
        }
        guard unturnedWidth != width || unturnedHeight != height else { return unturned }
        func even(_ value: Int, _ scale: Double) -> Int { Int((Double(value) * scale / 2).rounded()) * 2 }
        let scaleX = Double(width) / Double(unturnedWidth), scaleY = Double(height) / Double(unturnedHeight)
        let w = min(max(2, even(unturned.width, scaleX)), width & ~1), h = min(max(2, even(unturned.height, scaleY)), height & ~1)
        return CropWindow(x: min(max(0, even(unturned.x, scaleX)), (width - w) & ~1),
                          y: min(max(0, even(unturned.y, scaleY)), (height - h) & ~1), width: w, height: h)
    }
}

import FFmpegBridge

/// Makes one rendition's pictures (or a thumbnail's) from decoded master frames: resizes with libswscale
/// to 8-bit 4:2:0 with square pixels, then turns the picture upright when the master is rotated.
final class RenditionPicture {
    private let scaler: Scaler
    private let rotation: QuarterTurn
    private let scaled: Frame
    private let turned: Frame?

    /// - Parameters:
    ///   - width, height: the upright output size.
    ///   - output: limited-range pictures for the video encoder, or full-range ones for JPEG.
    init(width: Int, height: Int, rotation: QuarterTurn, filter: ScalingFilter, output: ScaledPicture = .video) throws {
        // Scale first at the pre-rotation size (cheaper to turn the small picture than the master).
        let scaledWidth = rotation.swapsDimensions ? height : width
        let scaledHeight = rotation.swapsDimensions ? width : height
        scaler = Scaler(outputWidth: scaledWidth, outputHeight: scaledHeight, filter: filter, output: output)
        self.rotation = rotation
        scaled = try Frame.picture(width: scaledWidth, height: scaledHeight, format: output.pixelFormat)
        turned = rotation == .none ? nil : try Frame.picture(width: width, height: height, format: output.pixelFormat)
    }

    /// The picture for `source`, valid until the next call (encoders copy what they keep).
    /// A master already at the output size, upright and in limited-range 4:2:0 goes to the video encoder as is.
    func make(from source: Frame) throws -> Frame {
        if scaler.output == .video, rotation == .none, source.width == scaled.width, source.height == scaled.height,
           source.pixelFormat == .yuv420p, !source.colorDescription.isFullRange {
            return source
        }
        try scaler.scale(source, into: scaled)
        guard let turned else { return scaled }
        try turned.fill(rotating: scaled, by: rotation)
        return turned
    }
}

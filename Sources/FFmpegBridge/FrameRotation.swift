import CFFmpeg

/// A turn of a picture by a multiple of 90 degrees, clockwise.
public enum QuarterTurn: Int, Sendable, Codable {
    case none = 0, clockwise = 90, halfTurn = 180, counterClockwise = 270

    /// The turn closest to `degrees` (clockwise, any sign), or nil when it is not near a multiple of 90.
    public init?(degreesClockwise degrees: Double) {
        var normalized = degrees.truncatingRemainder(dividingBy: 360)
        if normalized < 0 { normalized += 360 }
        let quarter = (normalized / 90).rounded()
        guard abs(normalized - quarter * 90) < 1 else { return nil }
        self.init(rawValue: Int(quarter) % 4 * 90)
    }

    /// True when the turn swaps width and height.
    public var swapsDimensions: Bool { self == .clockwise || self == .counterClockwise }
}

extension Frame {
    /// Writes `source` turned by `turn` into this frame, which must be a writable 8-bit planar (or greyscale) picture
    /// whose size is the source's, swapped for quarter turns.
    public func fill(rotating source: Frame, by turn: QuarterTurn) throws(FFmpegError) {
        let expectedWidth = turn.swapsDimensions ? source.height : source.width
        let expectedHeight = turn.swapsDimensions ? source.width : source.height
        guard width == expectedWidth, height == expectedHeight, pixelFormat == source.pixelFormat,
              let descriptor = av_pix_fmt_desc_get(source.pixelFormat.raw),
              descriptor.pointee.comp.0.depth == 8,
              // Greyscale has one plane but no planar flag.
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 || descriptor.pointee.nb_components == 1
        else {
            throw FFmpegError(operation: "rotate a picture",
                              message: "needs an 8-bit planar destination of the turned size, got \(width)x\(height) \(pixelFormat)")
        }
        try makeWritable()
        let planeCount = Int(av_pix_fmt_count_planes(source.pixelFormat.raw))
        let chromaShiftX = Int(descriptor.pointee.log2_chroma_w)
        let chromaShiftY = Int(descriptor.pointee.log2_chroma_h)
        for plane in 0..<planeCount {
            let isChroma = plane == 1 || plane == 2
            let sourceWidth = isChroma ? -((-source.width) >> chromaShiftX) : source.width
            let sourceHeight = isChroma ? -((-source.height) >> chromaShiftY) : source.height
            let from = PlaneView(frame: source.pointer, plane: plane, width: sourceWidth, height: sourceHeight)
            let to = PlaneView(frame: pointer, plane: plane, width: 0, height: 0)
            rotatePlane(from, into: to, turn: turn)
        }
        pointer.pointee.pts = source.pointer.pointee.pts
        colorDescription = source.colorDescription
    }
}

/// One plane of a frame: its bytes, stride and (for the source) size.
private struct PlaneView {
    let base: UnsafeMutablePointer<UInt8>
    let stride: Int
    let width: Int
    let height: Int

    init(frame: UnsafeMutablePointer<AVFrame>, plane: Int, width: Int, height: Int) {
        let planes = withUnsafeBytes(of: frame.pointee.data) { Array($0.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)) }
        let strides = withUnsafeBytes(of: frame.pointee.linesize) { Array($0.bindMemory(to: Int32.self)) }
        self.base = planes[plane]!
        self.stride = Int(strides[plane])
        self.width = width
        self.height = height
    }
}

/// Copies a plane turned by `turn`, in 32×32 tiles so both sides stay in cache.
private func rotatePlane(_ source: PlaneView, into destination: PlaneView, turn: QuarterTurn) {
    let tile = 32
    let w = source.width, h = source.height
    for tileY in Swift.stride(from: 0, to: h, by: tile) {
        for tileX in Swift.stride(from: 0, to: w, by: tile) {
            for y in tileY..<min(tileY + tile, h) {
                let row = source.base + y * source.stride
                for x in tileX..<min(tileX + tile, w) {
                    let (dx, dy): (Int, Int)
                    switch turn {
                    case .none: (dx, dy) = (x, y)
                    case .clockwise: (dx, dy) = (h - 1 - y, x)
                    case .halfTurn: (dx, dy) = (w - 1 - x, h - 1 - y)
                    case .counterClockwise: (dx, dy) = (y, w - 1 - x)
                    }
                    destination.base[dy * destination.stride + dx] = row[x]
                }
            }
        }
    }
}

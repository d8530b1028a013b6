import CFFmpeg

extension Frame {
    /// A new picture with its own copy of this one's pixels (not shared with the decoder's buffers).
    public func copyPixels() throws(FFmpegError) -> Frame {
        let copy = try Frame.picture(width: width, height: height, format: pixelFormat)
        try check(av_frame_copy(copy.pointer, pointer), "copy a \(width)x\(height) picture")
        try check(av_frame_copy_props(copy.pointer, pointer), "copy a picture's properties")
        return copy
    }

    /// Paints the whole writable picture black (in the picture's colour range).
    public func fillBlack() throws(FFmpegError) {
        try makeWritable()
        let range = colorDescription.isFullRange || pixelFormat == .yuvj420p ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG
        var planes = withUnsafeBytes(of: pointer.pointee.data) { Array($0.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)) }
        let strides = withUnsafeBytes(of: pointer.pointee.linesize) { $0.bindMemory(to: Int32.self).map { Int($0) } }
        let status = av_image_fill_black(&planes, strides, pixelFormat.raw, range, Int32(width), Int32(height))
        try check(status, "paint a \(width)x\(height) picture black")
    }

    /// Copies `tile` (same 8-bit planar format) into this writable picture with its top-left corner at
    /// (`x`, `y`), which must be a multiple of the chroma subsampling and leave the tile inside.
    public func paste(_ tile: Frame, x: Int, y: Int) throws(FFmpegError) {
        guard tile.pixelFormat == pixelFormat, let descriptor = av_pix_fmt_desc_get(pixelFormat.raw),
              descriptor.pointee.comp.0.depth == 8, descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0 else {
            throw FFmpegError(operation: "paste a picture", message: "needs two 8-bit planar pictures of one format, got \(tile.pixelFormat) into \(pixelFormat)")
        }
        let shiftX = Int(descriptor.pointee.log2_chroma_w), shiftY = Int(descriptor.pointee.log2_chroma_h)
        guard x >= 0, y >= 0, x + tile.width <= width, y + tile.height <= height,
              x % (1 << shiftX) == 0, y % (1 << shiftY) == 0 else {
            throw FFmpegError(operation: "paste a picture", message: "a \(tile.width)x\(tile.height) tile does not fit at \(x),\(y) in \(width)x\(height)")
        }
        try makeWritable()
        for plane in 0..<Int(av_pix_fmt_count_planes(pixelFormat.raw)) {
            let isChroma = plane == 1 || plane == 2
            let (sx, sy) = isChroma ? (shiftX, shiftY) : (0, 0)
            let rows = -((-tile.height) >> sy), columns = -((-tile.width) >> sx)
            let from = tile.rawPlane(plane), to = rawPlane(plane)
            for row in 0..<rows {
                (to.base + ((y >> sy) + row) * to.stride + (x >> sx)).update(from: from.base + row * from.stride, count: columns)
            }
        }
    }

    private func rawPlane(_ index: Int) -> (base: UnsafeMutablePointer<UInt8>, stride: Int) {
        let stride = withUnsafeBytes(of: pointer.pointee.linesize) { $0.load(fromByteOffset: index * 4, as: Int32.self) }
        return (planePointer(index), Int(stride))
    }
}

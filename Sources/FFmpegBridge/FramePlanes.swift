import CFFmpeg

extension Frame {
    /// The bytes of plane `index` of an 8-bit planar picture, row by row (for tests and diagnostics).
    public func plane(_ index: Int) -> [[UInt8]] {
        let (width, height) = planeSize(index)
        let base = planePointer(index)
        let stride = Int(withUnsafeBytes(of: pointer.pointee.linesize) { $0.load(fromByteOffset: index * 4, as: Int32.self) })
        return (0..<height).map { row in Array(UnsafeBufferPointer(start: base + row * stride, count: width)) }
    }

    /// Overwrites plane `index` of an 8-bit planar picture with `rows`.
    public func setPlane(_ index: Int, rows: [[UInt8]]) throws(FFmpegError) {
        try makeWritable()
        let base = planePointer(index)
        let stride = Int(withUnsafeBytes(of: pointer.pointee.linesize) { $0.load(fromByteOffset: index * 4, as: Int32.self) })
        for (row, values) in rows.enumerated() {
            for (column, value) in values.enumerated() { base[row * stride + column] = value }
        }
    }

    /// The first byte of plane `index`.
    func planePointer(_ index: Int) -> UnsafeMutablePointer<UInt8> {
        withUnsafeBytes(of: pointer.pointee.data) { $0.load(fromByteOffset: index * MemoryLayout<UnsafeMutablePointer<UInt8>>.stride, as: UnsafeMutablePointer<UInt8>.self) }
    }

    private func planeSize(_ index: Int) -> (Int, Int) {
        guard index > 0, let descriptor = av_pix_fmt_desc_get(pixelFormat.raw) else { return (width, height) }
        let shiftX = Int(descriptor.pointee.log2_chroma_w), shiftY = Int(descriptor.pointee.log2_chroma_h)
        return (-((-width) >> shiftX), -((-height) >> shiftY))
    }
}

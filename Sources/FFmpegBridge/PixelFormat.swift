import CFFmpeg

/// A raw picture layout (`AVPixelFormat`), e.g. `yuv420p`.
public struct PixelFormat: Sendable, Hashable, CustomStringConvertible {
    let raw: AVPixelFormat

    init(_ raw: AVPixelFormat) { self.raw = raw }

    /// 8-bit 4:2:0 planar YUV, what H.264 players everywhere decode.
    public static let yuv420p = PixelFormat(AV_PIX_FMT_YUV420P)

    /// 8-bit 4:2:0 planar YUV in full range, what JPEG (JFIF) stores.
    public static let yuvj420p = PixelFormat(AV_PIX_FMT_YUVJ420P)

    /// 8-bit greyscale, one plane: a picture's luma alone.
    public static let gray8 = PixelFormat(AV_PIX_FMT_GRAY8)

    /// FFmpeg's name for the format, e.g. "yuv422p10le".
    public var description: String {
        guard let name = av_get_pix_fmt_name(raw) else { return "none" }
        return String(cString: name)
    }

    /// Bits per component of the first plane, e.g. 8 or 10.
    public var bitDepth: Int {
        guard let descriptor = av_pix_fmt_desc_get(raw) else { return 0 }
        return Int(descriptor.pointee.comp.0.depth)
    }
}

/// How a picture's sample values map to colours, carried from master to renditions.
public struct ColorDescription: Sendable, Hashable {
    var range: AVColorRange
    var primaries: AVColorPrimaries
    var transfer: AVColorTransferCharacteristic
    var matrix: AVColorSpace

    /// The untagged default.
    public static let unspecified = ColorDescription(
        range: AVCOL_RANGE_UNSPECIFIED, primaries: AVCOL_PRI_UNSPECIFIED,
        transfer: AVCOL_TRC_UNSPECIFIED, matrix: AVCOL_SPC_UNSPECIFIED)

    /// Full range with the BT.601 matrix, as JFIF defines its YCbCr.
    public static let jpeg = ColorDescription(
        range: AVCOL_RANGE_JPEG, primaries: AVCOL_PRI_UNSPECIFIED, transfer: AVCOL_TRC_UNSPECIFIED, matrix: AVCOL_SPC_BT470BG)

    /// Limited-range BT.709 (primaries, transfer and matrix): SDR HD video, what tone mapping makes.
    public static let bt709 = ColorDescription(
        range: AVCOL_RANGE_MPEG, primaries: AVCOL_PRI_BT709, transfer: AVCOL_TRC_BT709, matrix: AVCOL_SPC_BT709)

    /// The same colours in limited ("TV") range, which encoders for streaming expect.
    public var limitedRange: ColorDescription {
        var copy = self
        copy.range = AVCOL_RANGE_MPEG
        return copy
    }

    /// True when samples use the full 0–255 range rather than 16–235.
    public var isFullRange: Bool { range == AVCOL_RANGE_JPEG }

    /// Names of the tags that are set, for probe output (e.g. `["range": "tv", "matrix": "bt709"]`).
    public var names: [String: String] {
        var result: [String: String] = [:]
        if range != AVCOL_RANGE_UNSPECIFIED, let name = av_color_range_name(range) { result["range"] = String(cString: name) }
        if primaries != AVCOL_PRI_UNSPECIFIED, let name = av_color_primaries_name(primaries) { result["primaries"] = String(cString: name) }
        if transfer != AVCOL_TRC_UNSPECIFIED, let name = av_color_transfer_name(transfer) { result["transfer"] = String(cString: name) }
        if matrix != AVCOL_SPC_UNSPECIFIED, let name = av_color_space_name(matrix) { result["matrix"] = String(cString: name) }
        return result
    }
}

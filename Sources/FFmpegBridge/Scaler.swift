import CFFmpeg

/// The resampling filter libswscale uses to resize pictures.
public enum ScalingFilter: String, Sendable, Codable, CaseIterable {
    case bilinear, bicubic, lanczos

    var flags: Int32 {
        switch self {
        case .bilinear: SWS_BILINEAR
        case .bicubic: SWS_BICUBIC
        case .lanczos: SWS_LANCZOS
        }
    }
}

/// What a `Scaler` makes: pictures for a video encoder, or for a JPEG still.
public enum ScaledPicture: Sendable {
    /// `yuv420p`, limited range, the source's colour matrix kept.
    case video
    /// `yuvj420p`, full range, BT.601 matrix: what JFIF decoders assume (JFIF 1.02 §7).
    case jpeg
    /// `gray`: the luma plane alone, in the source's range, for analysis (chroma is never scaled).
    case luma

    public var pixelFormat: PixelFormat {
        switch self {
        case .video: .yuv420p
        case .jpeg: .yuvj420p
        case .luma: .gray8
        }
    }
}

/// Resizes and converts pictures to 8-bit 4:2:0 or greyscale (`SwsContext`), reusing its context while the input stays the same.
public final class Scaler {
    private var context: OpaquePointer?
    private var inputKey: (width: Int, height: Int, format: PixelFormat, fullRange: Bool)?
    public let outputWidth: Int
    public let outputHeight: Int
    public let filter: ScalingFilter
    public let output: ScaledPicture

    public init(outputWidth: Int, outputHeight: Int, filter: ScalingFilter, output: ScaledPicture = .video) {
        self.outputWidth = outputWidth
        self.outputHeight = outputHeight
        self.filter = filter
        self.output = output
    }

    deinit {
        sws_freeContext(context)
    }

    /// Scales `source` into `destination`, a writable picture of the output size and format.
    /// For `.video`, full-range input comes out limited range; the colour tags travel along.
    public func scale(_ source: Frame, into destination: Frame) throws(FFmpegError) {
        guard destination.width == outputWidth, destination.height == outputHeight, destination.pixelFormat == output.pixelFormat else {
            throw FFmpegError(operation: "scale a picture", message: "the destination is not a \(outputWidth)x\(outputHeight) \(output.pixelFormat) picture")
        }
        let fullRange = source.colorDescription.isFullRange || isJPEGFormat(source.pixelFormat)
        if inputKey == nil || inputKey! != (source.width, source.height, source.pixelFormat, fullRange) {
            try prepare(for: source, fullRange: fullRange)
        }
        try destination.makeWritable()
        let src = source.pointer, dst = destination.pointer
        let rows = withUnsafePointer(to: &src.pointee.data.0) { sourcePlanes in
            withUnsafePointer(to: &src.pointee.linesize.0) { sourceStrides in
                withUnsafePointer(to: &dst.pointee.data.0) { destinationPlanes in
                    withUnsafePointer(to: &dst.pointee.linesize.0) { destinationStrides in
                        sourcePlanes.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { sourcePlanes in
                            sws_scale(context, sourcePlanes, sourceStrides, 0, src.pointee.height, destinationPlanes, destinationStrides)
                        }
                    }
                }
            }
        }
        try check(rows, "scale a \(source.width)x\(source.height) picture to \(outputWidth)x\(outputHeight)")
        destination.pts = source.pts
        switch output {
        case .video: destination.colorDescription = source.colorDescription.limitedRange
        case .jpeg: destination.colorDescription = .jpeg
        case .luma: destination.colorDescription = source.colorDescription
        }
    }

    private func prepare(for source: Frame, fullRange: Bool) throws(FFmpegError) {
        sws_freeContext(context)
        context = sws_getContext(Int32(source.width), Int32(source.height), source.pixelFormat.raw,
                                 Int32(outputWidth), Int32(outputHeight), output.pixelFormat.raw,
                                 filter.flags | (output == .luma ? 0 : SWS_ACCURATE_RND), nil, nil, nil)
        guard context != nil else {
            throw FFmpegError(operation: "set up scaling", message: "libswscale cannot convert \(source.width)x\(source.height) \(source.pixelFormat) to \(outputWidth)x\(outputHeight) \(output.pixelFormat)")
        }
        let matrix = source.colorDescription.matrix
        let coefficients = sws_getCoefficients(matrix == AVCOL_SPC_UNSPECIFIED ? SWS_CS_DEFAULT : Int32(matrix.rawValue))
        switch output {
        case .video:
            // Keep the colour matrix; only the range changes (full → limited).
            sws_setColorspaceDetails(context, coefficients, fullRange ? 1 : 0, coefficients, 0, 0, 1 << 16, 1 << 16)
        case .jpeg:
            sws_setColorspaceDetails(context, coefficients, fullRange ? 1 : 0, sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16)
        case .luma:
            // Range kept as is: analysis compares samples with each other, not with a reference white.
            sws_setColorspaceDetails(context, coefficients, fullRange ? 1 : 0, coefficients, fullRange ? 1 : 0, 0, 1 << 16, 1 << 16)
        }
        inputKey = (source.width, source.height, source.pixelFormat, fullRange)
    }

    private func isJPEGFormat(_ format: PixelFormat) -> Bool {
        [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P].contains(format.raw)
    }
}

import CFFmpeg

/// Encodes still pictures as baseline JPEG with libavcodec's `mjpeg` encoder.
public enum JPEGEncoder {
    /// The JPEG file bytes of `picture`, a full-range `yuvj420p` picture (see `ScaledPicture.jpeg`).
    /// - Parameter quantizer: mjpeg's fixed quantiser scale, 2 (finest) … 31 (smallest file), as ffmpeg's `-q:v`.
    public static func encode(_ picture: Frame, quantizer: Int) throws(FFmpegError) -> [UInt8] {
        let operation = "encode a \(picture.width)x\(picture.height) JPEG"
        guard picture.pixelFormat == .yuvj420p else {
            throw FFmpegError(operation: operation, message: "needs a yuvj420p picture, got \(picture.pixelFormat)")
        }
        guard (2...31).contains(quantizer) else {
            throw FFmpegError(operation: operation, message: "the quantiser must be 2…31, got \(quantizer)")
        }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else {
            throw FFmpegError(operation: operation, message: "this FFmpeg build has no mjpeg encoder")
        }
        var context: UnsafeMutablePointer<AVCodecContext>? = try allocated(avcodec_alloc_context3(codec), "allocate the JPEG encoder")
        defer { avcodec_free_context(&context) }
        let c = context!
        c.pointee.width = Int32(picture.width)
        c.pointee.height = Int32(picture.height)
        c.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        c.pointee.color_range = AVCOL_RANGE_JPEG
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.time_base = AVRational(num: 1, den: 1)
        // A fixed quantiser instead of a bit rate: the size follows the picture, the quality stays put.
        c.pointee.flags |= strata_codec_flag_qscale()
        c.pointee.global_quality = Int32(quantizer) * strata_qp2lambda()
        try check(avcodec_open2(c, codec, nil), "open the JPEG encoder")
        picture.pointer.pointee.quality = c.pointee.global_quality
        picture.pts = 0
        try check(avcodec_send_frame(c, picture.pointer), operation)
        try check(avcodec_send_frame(c, nil), operation)
        let packet = try Packet()
        try check(avcodec_receive_packet(c, packet.pointer), operation)
        return packet.bytes
    }
}

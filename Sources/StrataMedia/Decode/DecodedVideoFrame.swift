import FFmpegBridge

/// A decoded picture on its way to one rendition, with the output frame number it fills.
struct DecodedVideoFrame: Sendable {
    let frame: Frame
    /// Position in the constant-rate output, counted from 0.
    let number: Int
}

import FFmpegBridge
import Foundation

/// One probe encode of one rung: encodes the pictures it is given, decodes its own packets straight back and
/// compares each with the picture it came from, so the rung's bit rate and PSNR are known without writing a file.
final class ProbeEncode {
    let rung: String
    /// x264 CRF, or nil for the rung's fixed profile rate.
    let crf: Double?
    private let encoder: Encoder
    private let decoder: Decoder
    private let comparison: PictureComparison
    /// Pictures sent to the encoder and not yet decoded back (the encoder's look-ahead), by timestamp.
    private var references: [Int64: Frame] = [:]
    private var bytes = 0
    private var pictures = 0

    init(rung: String, crf: Double?, settings: VideoEncoderSettings) throws {
        self.rung = rung
        self.crf = crf
        encoder = try VideoEncoderFactory.open(settings, for: "the \(rung) quality probe")
        decoder = try Decoder(parameters: CodecParameters(encodedBy: encoder), threads: 1)
        comparison = try PictureComparison(width: settings.width, height: settings.height, ssim: false)
    }

    /// Encodes `picture`, an owned picture whose `pts` counts the probe's pictures from 0.
    func encode(_ picture: Frame) throws {
        references[picture.pts] = picture
        pictures += 1
        try encoder.encode(picture) { try take($0) }
    }

    /// Drains the encoder and returns what the pictures cost and how close they came back.
    func finish(frameRate: Double) throws -> QualityPoint {
        try encoder.encode(nil) { try take($0) }
        try decoder.decode(nil) { try compare($0) }
        let quality = try comparison.finish()
        guard quality.frames == pictures, pictures > 0 else {
            throw TranscodeError(.encoding, "the \(rung) quality probe decoded \(quality.frames) of \(pictures) pictures")
        }
        return QualityPoint(crf: crf, bitRate: Double(bytes * 8) * frameRate / Double(pictures), psnr: quality.psnr)
    }

    private func take(_ packet: Packet) throws {
        bytes += packet.size
        try decoder.decode(packet) { try compare($0) }
    }

    private func compare(_ decoded: Frame) throws {
        let timestamp = decoded.bestEffortTimestamp == noTimestamp ? decoded.pts : decoded.bestEffortTimestamp
        guard let reference = references.removeValue(forKey: timestamp) else {
            throw TranscodeError(.encoding, "the \(rung) quality probe decoded a picture it never encoded (at \(timestamp))")
        }
        try comparison.compare(decoded, with: reference)
    }
}

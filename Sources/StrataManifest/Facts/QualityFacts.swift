/// Measured quality of one rendition against the master scaled to the rendition's size (FFmpeg's psnr and ssim filters).
public struct QualityFacts: Sendable, Hashable, Codable {
    /// Pictures compared: every picture of the rendition.
    public var frames: Int
    /// PSNR in dB of the mean squared error over Y, Cb and Cr weighted by plane size (capped at 100 for identical pictures).
    public var psnr: Double
    /// PSNR in dB of the luma plane.
    public var psnrY: Double
    /// Mean SSIM over the three planes, 0…1.
    public var ssim: Double
    /// Mean SSIM of the luma plane.
    public var ssimY: Double

    public init(frames: Int, psnr: Double, psnrY: Double, ssim: Double, ssimY: Double) {
        func round(_ value: Double, _ places: Double) -> Double { (value * places).rounded() / places }
        self.frames = frames
        self.psnr = round(psnr, 1000)
        self.psnrY = round(psnrY, 1000)
        self.ssim = round(ssim, 100_000)
        self.ssimY = round(ssimY, 100_000)
    }
}

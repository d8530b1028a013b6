/// How one rendition's encoder rate was chosen by per-title analysis.
public struct RateControlFacts: Sendable, Hashable, Codable {
    /// How the rung was encoded.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Constant quality (x264 CRF) with the rung's VBV `maxrate`/`bufsize` as a ceiling.
        case cappedQuality = "capped_quality"
        /// The profile's average bit rate, as in a fixed ladder: the target would need more than the rung allows.
        case profileBitRate = "profile_bitrate"
    }

    public var mode: Mode
    /// x264 CRF, for `cappedQuality`.
    public var crf: Double?
    /// The bit rate the analysis expected for this rung at the target, bits per second.
    public var predictedBitRate: Int
    /// The profile's average rate for the rung, bits per second.
    public var profileBitRate: Int
    /// VBV ceiling and buffer, bits per second and bits: no segment can exceed `maxrate` (over `bufsize`).
    public var maxrate: Int
    public var bufsize: Int
    /// Why, in words.
    public var reason: String
    /// When matching the fixed ladder: the PSNR (dB) the probe measured at the profile's rate, and the PSNR it
    /// predicts for the decision.
    public var fixedPSNR: Double?
    public var predictedPSNR: Double?

    public init(mode: Mode, crf: Double?, predictedBitRate: Int, profileBitRate: Int, maxrate: Int, bufsize: Int, reason: String,
                fixedPSNR: Double? = nil, predictedPSNR: Double? = nil) {
        self.mode = mode
        self.crf = crf
        self.predictedBitRate = predictedBitRate
        self.profileBitRate = profileBitRate
        self.maxrate = maxrate
        self.bufsize = bufsize
        self.reason = reason
        self.fixedPSNR = fixedPSNR
        self.predictedPSNR = predictedPSNR
    }
}

/// What per-title analysis measured of a master and which rungs it left out.
public struct PerTitleFacts: Sendable, Hashable, Codable {
    /// A rung left out, and why.
    public struct DroppedRung: Sendable, Hashable, Codable {
        public var name: String
        public var predictedBitRate: Int
        public var reason: String

        public init(name: String, predictedBitRate: Int, reason: String) {
            self.name = name
            self.predictedBitRate = predictedBitRate
            self.reason = reason
        }
    }

    /// The profile's quality target: one x264 CRF for every rung, or the PSNR (dB) each rung may lose against
    /// the fixed ladder. Exactly one is set.
    public var targetCRF: Double?
    public var maximumPSNRLoss: Double?
    /// Size of the probe encodes, e.g. "640x360" (each rung's size, comma-separated, when matching the fixed ladder).
    public var probeSize: String
    /// Seconds of the master encoded by the probe, out of `masterSeconds`.
    public var analysedSeconds: Double
    public var masterSeconds: Double
    /// Bits per pixel the probe spent at the target (the top rung's, when matching the fixed ladder): the
    /// master's measured complexity.
    public var probeBitsPerPixel: Double
    public var droppedRenditions: [DroppedRung]

    public init(targetCRF: Double? = nil, maximumPSNRLoss: Double? = nil, probeSize: String, analysedSeconds: Double, masterSeconds: Double,
                probeBitsPerPixel: Double, droppedRenditions: [DroppedRung]) {
        self.targetCRF = targetCRF
        self.maximumPSNRLoss = maximumPSNRLoss
        self.probeSize = probeSize
        self.analysedSeconds = analysedSeconds
        self.masterSeconds = masterSeconds
        self.probeBitsPerPixel = probeBitsPerPixel
        self.droppedRenditions = droppedRenditions
    }
}

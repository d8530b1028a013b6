/// What the master's dynamic range was and what Strata did about it; recorded for HDR masters only.
public struct DynamicRangeFacts: Sendable, Hashable, Codable {
    /// The master's transfer: "PQ" (SMPTE ST 2084) or "HLG" (ARIB STD-B67).
    public var master: String
    /// What became of it in the renditions, in words, e.g. "tone-mapped to SDR BT.709 (…)".
    public var conversion: String
    /// The range every video rendition has: "SDR" once tone-mapped.
    public var renditions: String

    public init(master: String, conversion: String, renditions: String) {
        self.master = master
        self.conversion = conversion
        self.renditions = renditions
    }
}

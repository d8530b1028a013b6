import Foundation

/// What players need to know about a package that is still being made: its playlists are `EVENT`
/// playlists (RFC 8216 §4.3.3.5) and its MPD is `dynamic` (ISO/IEC 23009-1 §5.4) until the last segment.
public struct GrowingPackage: Sendable, Hashable {
    /// When the package's first segment became available (DASH `availabilityStartTime`).
    public var availabilityStart: Date
    /// When this version of the manifests was made (DASH `publishTime`).
    public var publishTime: Date
    /// Seconds after which a DASH client fetches the MPD again (`minimumUpdatePeriod`).
    public var updatePeriodSeconds: Double
    /// Bit rates announced until the real ones are measured at the end, by track id
    /// (a video rung's `maxrate`, an audio track's bit rate).
    public var provisionalBitRates: [String: Int]

    public init(availabilityStart: Date, publishTime: Date, updatePeriodSeconds: Double, provisionalBitRates: [String: Int]) {
        self.availabilityStart = availabilityStart
        self.publishTime = publishTime
        self.updatePeriodSeconds = updatePeriodSeconds
        self.provisionalBitRates = provisionalBitRates
    }

    /// The announced bit rate of `track`, or `measured` when none was given.
    public func bitRate(of track: String, measured: Int) -> Int {
        provisionalBitRates[track] ?? measured
    }
}

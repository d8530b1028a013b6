/// When a transcode on a shared queue is cut into chunks that several workers encode side by side.
public struct ChunkingSpec: Sendable, Hashable, Codable {
    /// Masters at least this long are chunked; shorter ones run as one unit (nil: never chunk).
    public var minMasterSeconds: Double?
    /// Segments per chunk: each chunk is one unit of work.
    public var segmentsPerChunk: Int

    public init(minMasterSeconds: Double? = 120, segmentsPerChunk: Int = 10) {
        self.minMasterSeconds = minMasterSeconds
        self.segmentsPerChunk = segmentsPerChunk
    }

    /// True when a master of `seconds` is long enough to be chunked.
    public func chunks(masterSeconds seconds: Double) -> Bool {
        minMasterSeconds.map { seconds >= $0 } ?? false
    }
}

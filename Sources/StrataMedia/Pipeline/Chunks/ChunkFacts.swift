import StrataManifest

/// What one chunk unit made: every rung's segments over the chunk's frames.
public struct ChunkFacts: Codable, Sendable, Equatable {
    public var index: Int
    /// The frames encoded: the planned range, its end made exact for the last chunk.
    public var frames: FrameRange
    /// One per rung, in ladder order; each timeline holds only this chunk's segments.
    public var video: [VideoTrackFacts]
    public var wallSeconds: Double
}

/// What the audio unit made: every audio track, whole, on the video's segment boundaries.
public struct AudioPartFacts: Codable, Sendable, Equatable {
    public var audio: [AudioTrackFacts]
    /// The frame the tracks were cut or padded to end with: where the video was expected or known to end.
    public var videoEndFrame: Int
    public var wallSeconds: Double
}

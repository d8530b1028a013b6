/// Why a transcode could not be done, as a stable code and one line a person can act on.
public struct TranscodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers, for scripts and the HTTP API.
    public enum Code: String, Sendable, Codable {
        /// The master path does not exist or is not a regular file.
        case inputMissing = "input_missing"
        /// The master is empty.
        case inputEmpty = "input_empty"
        /// FFmpeg cannot recognise the master as media.
        case notMedia = "not_media"
        /// The master has no video stream.
        case noVideo = "no_video"
        /// The master ends early or has damaged data.
        case truncated = "truncated"
        /// The master uses something Strata cannot handle.
        case unsupported = "unsupported"
        /// The profile cannot be used.
        case invalidProfile = "invalid_profile"
        /// A sidecar track cannot be used.
        case invalidSidecar = "invalid_sidecar"
        /// The output folder cannot be written.
        case output = "output"
        /// Someone stopped the job.
        case cancelled = "cancelled"
        /// FFmpeg failed while transcoding.
        case encoding = "encoding"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

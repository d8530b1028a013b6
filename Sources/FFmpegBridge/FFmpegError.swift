import CFFmpeg

/// A failed FFmpeg call: the operation Strata attempted, FFmpeg's return code and its own message.
public struct FFmpegError: Error, Sendable, CustomStringConvertible {
    /// FFmpeg's negative return code (an `AVERROR` value).
    public let code: Int32
    /// What Strata was doing, e.g. "open master 'in.mp4'".
    public let operation: String
    /// FFmpeg's explanation of `code`, from `av_strerror`.
    public let message: String

    /// Wraps a negative FFmpeg return code.
    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        self.message = FFmpegError.describe(code)
    }

    /// An error that did not come from a return code (a missing encoder, an allocation that returned NULL).
    public init(operation: String, message: String) {
        self.code = strata_averror(EINVAL)
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }

    /// True when the code means "end of stream".
    public var isEndOfFile: Bool { code == strata_averror_eof() }

    /// True when FFmpeg judged the input not to be valid media.
    public var isInvalidData: Bool { code == strata_averror_invaliddata() }

    static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if av_strerror(code, &buffer, buffer.count) < 0 {
            return "unknown FFmpeg error \(code)"
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Throws `FFmpegError` when `code` is negative; returns it otherwise.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(FFmpegError) -> Int32 {
    if code < 0 { throw FFmpegError(code: code, operation: operation()) }
    return code
}

/// Unwraps a pointer FFmpeg returned, or throws an allocation error naming the operation.
func allocated<T>(_ value: T?, _ operation: @autoclosure () -> String) throws(FFmpegError) -> T {
    guard let value else { throw FFmpegError(code: strata_averror(ENOMEM), operation: operation()) }
    return value
}

extension Int32 {
    static var endOfFile: Int32 { strata_averror_eof() }
    static var tryAgain: Int32 { strata_averror_eagain() }
}

/// FFmpeg's "no timestamp" value.
public let noTimestamp: Int64 = strata_nopts_value()

import CFFmpeg

/// FFmpeg's own resource limits for hostile input, as OSS-Fuzz's `target_dec_fuzzer` sets them.
public struct DecodeLimits: Sendable {
    /// Largest picture a decoder may allocate, in pixels (`AVCodecContext.max_pixels`).
    public var maxPixels: Int
    /// Largest single allocation FFmpeg may make, in bytes (`av_max_alloc`; process-wide).
    public var maxAllocationBytes: Int

    public init(maxPixels: Int, maxAllocationBytes: Int) {
        self.maxPixels = maxPixels
        self.maxAllocationBytes = maxAllocationBytes
    }

    /// Makes `maxAllocationBytes` FFmpeg's allocation limit for the whole process.
    public func applyAllocationLimit() {
        av_max_alloc(maxAllocationBytes)
    }
}

/// Bytes in memory that FFmpeg reads through a custom `AVIOContext`: a master that is not a file.
final class MemoryInput {
    /// What the callbacks read: the bytes and the read position, reached through the context's `opaque`.
    fileprivate final class Source {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// The I/O context to put in `AVFormatContext.pb` (with `AVFMT_FLAG_CUSTOM_IO`); freed in deinit.
    let io: UnsafeMutablePointer<AVIOContext>
    private let source: Source
    /// FFmpeg's suggested I/O buffer size.
    private static let bufferSize = 4096

    init(bytes: [UInt8]) throws(FFmpegError) {
        source = Source(bytes)
        let buffer = try allocated(av_malloc(MemoryInput.bufferSize), "allocate an I/O buffer")
        let opaque = Unmanaged.passUnretained(source).toOpaque()
        guard let io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), Int32(MemoryInput.bufferSize), 0, opaque,
                                          memoryRead, nil, memorySeek) else {
            av_free(buffer)
            throw FFmpegError(code: strata_averror(ENOMEM), operation: "allocate an I/O context")
        }
        self.io = io
    }

    deinit {
        // FFmpeg may have replaced the buffer we gave it; free whichever it holds now.
        av_freep(&io.pointee.buffer)
        var context: UnsafeMutablePointer<AVIOContext>? = io
        avio_context_free(&context)
    }

    fileprivate static func source(_ opaque: UnsafeMutableRawPointer?) -> Source {
        Unmanaged<Source>.fromOpaque(opaque!).takeUnretainedValue()
    }

    fileprivate static func read(_ opaque: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int32) -> Int32 {
        let source = MemoryInput.source(opaque)
        let count = min(Int(max(size, 0)), source.bytes.count - source.position)
        guard count > 0, let buffer else { return .endOfFile }
        source.bytes.withUnsafeBufferPointer { bytes in
            buffer.update(from: bytes.baseAddress! + source.position, count: count)
        }
        source.position += count
        return Int32(count)
    }

    fileprivate static func seek(_ opaque: UnsafeMutableRawPointer?, _ offset: Int64, _ whence: Int32) -> Int64 {
        let source = MemoryInput.source(opaque)
        let size = Int64(source.bytes.count)
        // avio.h: AVSEEK_SIZE asks for the size; AVSEEK_FORCE is a hint that may be ignored.
        if whence & AVSEEK_SIZE != 0 { return size }
        let base: Int64
        switch whence & ~AVSEEK_FORCE {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = Int64(source.position)
        case SEEK_END: base = size
        default: return Int64(strata_averror(EINVAL))
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0, target <= size else { return Int64(strata_averror(EINVAL)) }
        source.position = Int(target)
        return target
    }
}

private func memoryRead(_ opaque: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int32) -> Int32 {
    MemoryInput.read(opaque, buffer, size)
}

private func memorySeek(_ opaque: UnsafeMutableRawPointer?, _ offset: Int64, _ whence: Int32) -> Int64 {
    MemoryInput.seek(opaque, offset, whence)
}

extension InputFile {
    /// Opens a master held in memory (`name` is what errors call it), with FFmpeg's limits for hostile input.
    public convenience init(bytes: [UInt8], name: String, limits: DecodeLimits) throws(FFmpegError) {
        limits.applyAllocationLimit()
        try self.init(opening: name, memory: try MemoryInput(bytes: bytes), maxPixels: limits.maxPixels)
    }
}

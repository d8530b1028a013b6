import Foundation
import Hummingbird
import Synchronization

/// Writes one PATCH body into an upload's file at its offset, buffer by buffer (bounded memory), fsyncing and
/// recording the offset at least `checkpointBytes` apart, as often as the disk keeps up, so a crash loses only
/// what arrived since the last finished checkpoint.
struct ChunkWriter: Sendable {
    /// Fewest bytes between durable checkpoints while a long body streams in.
    static let checkpointBytes = 4 << 20

    let file: URL
    /// The offset the client named (already checked against the durable one).
    let offset: Int
    /// Bytes this body may add before the upload's declared length is passed.
    let room: Int
    let checksum: UploadChecksum?
    /// Records a durable offset (the database row); called after each fsync.
    let record: @Sendable (Int) async throws -> Void

    /// Writes the body and returns the new durable offset. Throws 460 (checksum mismatch) or 413 (past the declared
    /// length) with the chunk discarded; when the body breaks off, keeps what arrived (unless a checksum was sent).
    func write(_ body: RequestBody) async throws -> Int {
        let handle = try UploadFile(file)
        var hasher = checksum?.hasher()
        var written = 0
        var durable = 0
        // The checkpoint being made: its fsync runs while the next bytes arrive, and the next one starts only once it
        // is done (one in flight, never waited for), so receiving never stalls on the disk. fsync covers every byte
        // written before it, so the offset it records is durable even though more bytes follow.
        var checkpoint: Task<Void, any Error>?
        let idle = CheckpointIdle()
        do {
            for try await buffer in body {
                guard written + buffer.readableBytes <= room else {
                    _ = try? await checkpoint?.value
                    try await discard(handle)
                    throw APIError(.contentTooLarge, "too_large", "the body goes past the declared Upload-Length of this upload")
                }
                try await handle.write(buffer, at: offset + written)
                if hasher != nil { buffer.withUnsafeReadableBytes { hasher!.update($0) } }
                written += buffer.readableBytes
                // With a checksum nothing is kept until the whole chunk is verified.
                if checksum == nil, written - durable >= ChunkWriter.checkpointBytes, idle.flag.load(ordering: .acquiring) {
                    try await checkpoint?.value  // finished: only rethrows its failure
                    idle.flag.store(false, ordering: .releasing)
                    durable = written
                    let mark = offset + durable
                    checkpoint = Task { [record] in
                        defer { idle.flag.store(true, ordering: .releasing) }
                        try await handle.sync()
                        try await record(mark)
                    }
                }
            }
            try await checkpoint?.value
        } catch let error as APIError {
            _ = try? await checkpoint?.value
            throw error
        } catch {
            _ = try? await checkpoint?.value
            if checksum != nil || StorageFailure.isDiskFull(error) {
                try? await discard(handle)
            } else {
                // tus 1.0 §core: keep what arrived of an interrupted PATCH, so the client resumes from there.
                try? await handle.sync()
                try? await record(offset + written)
            }
            throw error
        }
        if let checksum, let hasher, hasher.finalize() != checksum.expected {
            try await discard(handle)
            throw APIError(HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch"), "checksum_mismatch",
                           "the \(checksum.algorithm.rawValue) of the body does not match Upload-Checksum; the chunk was discarded, send it again")
        }
        try await handle.sync()
        try await record(offset + written)
        return offset + written
    }

    /// Removes this body's bytes, and any checkpoint of them already recorded.
    private func discard(_ handle: UploadFile) async throws {
        try await handle.truncate(to: offset)
        try await handle.sync()
        try await record(offset)
    }
}

/// Whether no checkpoint is in flight.
final class CheckpointIdle: Sendable {
    let flag = Atomic<Bool>(true)
}

/// An open upload file; positioned writes, fsync and truncate run on NIO's thread pool.
final class UploadFile: Sendable {
    let descriptor: Int32

    init(_ url: URL) throws {
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    func write(_ buffer: ByteBuffer, at position: Int) async throws {
        try await OffLoop.run { [descriptor] in
            try buffer.withUnsafeReadableBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position + done))
                    guard count >= 0 else {
                        if errno == EINTR { continue }
                        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    }
                    done += count
                }
            }
        }
    }

    func sync() async throws {
        try await OffLoop.run { [descriptor] in
            guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }

    func truncate(to length: Int) async throws {
        try await OffLoop.run { [descriptor] in
            guard ftruncate(descriptor, off_t(length)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}

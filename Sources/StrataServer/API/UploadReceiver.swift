import Foundation
import Hummingbird
import NIOPosix
import Synchronization

/// Streams a request body to a new file under `uploads/`, never holding it in memory, and stops with
/// 413 as soon as it grows past the limit, or 507 when the disk fills (the partial file is removed).
struct UploadReceiver: Sendable {
    let files: AssetFiles
    let limit: Int

    func receive(_ request: Request, context: some RequestContext) async throws -> (url: URL, size: Int) {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge()
        }
        let url = files.newUpload()
        let counted = SizeLimitedBody(base: request.body, limit: limit)
        do {
            try await FileIO().writeFile(contents: counted, path: url.path, context: context)
        } catch {
            try? FileManager.default.removeItem(at: url)
            // The file system may wrap the body's own error: the flag says what really happened.
            if counted.exceeded.isSet { throw tooLarge() }
            if StorageFailure.isDiskFull(error) {
                context.logger.error("upload refused: the disk is full", metadata: ["folder": "\(files.uploads.path)"])
                throw APIError(.insufficientStorage, "insufficient_storage",
                               "the server's disk is full; the upload was not kept. Try again once an operator has freed space")
            }
            context.logger.warning("upload did not complete", metadata: ["error": "\(error)"])
            throw APIError(.badRequest, "upload_failed", "the upload did not complete: the connection closed or stalled before the whole body arrived")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size > 0 else {
            try? FileManager.default.removeItem(at: url)
            throw APIError(.badRequest, "empty_upload", "the request body is empty; send the file as the raw body")
        }
        return (url, size)
    }

    private func tooLarge() -> APIError {
        APIError(.contentTooLarge, "too_large", "the upload is larger than this server accepts (\(limit) bytes)")
    }
}

/// A request body that throws once more than `limit` bytes have arrived, and says so in `exceeded`.
struct SizeLimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int
    let exceeded = Flag()

    /// Set once, read after the writer has failed.
    final class Flag: Sendable {
        private let value = Atomic(false)
        func set() { value.store(true, ordering: .relaxed) }
        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    struct TooLarge: Error {}

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        let exceeded: Flag
        var total = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            total += buffer.readableBytes
            if total > limit {
                exceeded.set()
                throw TooLarge()
            }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, exceeded: exceeded)
    }
}

/// Blocking FFmpeg work (probing a file) off the event loops, on NIO's thread pool.
enum OffLoop {
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

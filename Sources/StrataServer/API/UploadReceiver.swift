import Foundation
import Hummingbird
import NIOPosix

/// Streams a request body to a new file under `uploads/`, never holding it in memory, and stops with
/// 413 as soon as it grows past the limit (the partial file is removed).
struct UploadReceiver: Sendable {
    let files: AssetFiles
    let limit: Int

    func receive(_ request: Request, context: some RequestContext) async throws -> (url: URL, size: Int) {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge()
        }
        let url = files.newUpload()
        let counted = SizeLimitedBody(base: request.body, limit: limit, tooLarge: tooLarge())
        do {
            try await FileIO().writeFile(contents: counted, path: url.path, context: context)
        } catch {
            try? FileManager.default.removeItem(at: url)
            if let error = error as? APIError { throw error }
            throw APIError(.badRequest, "upload_failed", "the upload did not complete: \(error)")
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

/// A request body that throws once more than `limit` bytes have arrived.
struct SizeLimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int
    let tooLarge: APIError

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        let tooLarge: APIError
        var total = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            total += buffer.readableBytes
            if total > limit { throw tooLarge }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, tooLarge: tooLarge)
    }
}

/// Blocking FFmpeg work (probing a file) off the event loops, on NIO's thread pool.
enum OffLoop {
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

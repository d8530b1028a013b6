import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// The bytes `range` of a package file as a response body: handed to the connection as a file region (sent by
/// sendfile(2), never copied through Swift) when the connection takes them, else read in chunks.
enum PackageFileBody {
    /// Bytes read from disk per chunk when the body goes through user space. Segments are about a megabyte,
    /// so one or two reads each: measured with scripts/bench-serve, 1 MiB serves 25–30% more segments per
    /// second than 128 KiB.
    static let chunkLength = 1 << 20
    private static let markerField = HTTPFields.Element.Name(FileRegionWriter.marker)!

    /// A response with `headers` and the file's bytes in `range` (which the caller has checked against its size).
    static func response(status: HTTPResponse.Status, headers: HTTPFields, file: URL, range: ClosedRange<Int>,
                         context: some RequestContext) async throws -> Response {
        guard let queue = FileRegionQueue.current else {
            let body = try await FileIO().loadFile(path: file.path, range: range, context: context, chunkLength: chunkLength)
            return Response(status: status, headers: headers, body: body)
        }
        let region = try OpenedRegion(file: file, range: range)
        var headers = headers
        headers[markerField] = "1"
        return Response(status: status, headers: headers, body: ResponseBody(contentLength: range.count) { writer in
            try queue.enqueue(try region.take())
            try await writer.finish(nil)
        })
    }
}

/// A file region opened for one response, closed when the response is dropped before its body was handed
/// to the connection (the client went away first, or a middleware replaced the response).
private final class OpenedRegion: Sendable {
    private let region: Mutex<FileRegion?>

    /// Opens `file`; a file that has gone, or that is now shorter than `range` needs, is not found.
    init(file: URL, range: ClosedRange<Int>) throws {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw APIError.notFound("that file") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) > range.upperBound else {
            close(descriptor)
            throw APIError.notFound("that file")
        }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        region = Mutex(FileRegion(fileHandle: handle, readerIndex: range.lowerBound, endIndex: range.upperBound + 1))
    }

    /// The region, now the caller's to close; a second call throws.
    func take() throws -> FileRegion {
        guard let taken = region.withLock({ region in defer { region = nil }; return region }) else {
            throw ChannelError.inappropriateOperationForState
        }
        return taken
    }

    deinit {
        if let abandoned = region.withLock({ $0 }) { try? abandoned.fileHandle.close() }
    }
}

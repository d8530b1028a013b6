import NIOCore
import NIOHTTP1

/// Sends the body of a zero-copy response as a `FileRegion`, so the kernel copies it from the page cache to
/// the socket with sendfile(2). Sits just above NIO's HTTP/1 encoder, below Hummingbird's HTTPTypes codec
/// (whose body parts can only be byte buffers): a response head marked with `marker` leaves here without
/// the mark, and the next region of the connection's `FileRegionQueue` is written in front of its end part.
final class FileRegionWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The internal header that marks a response whose body is queued; it never goes on the wire.
    static let marker = "x-strata-file-region"

    private let queue: FileRegionQueue
    /// A marked head went by and its end part has not yet.
    private var awaitingRegion = false

    init(queue: FileRegionQueue) {
        self.queue = queue
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.headers.contains(name: Self.marker):
            head.headers.remove(name: Self.marker)
            awaitingRegion = true
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where awaitingRegion:
            awaitingRegion = false
            guard let region = queue.next() else {
                // A marked response whose body never arrived: its Content-Length cannot be honoured.
                promise?.fail(ChannelError.inappropriateOperationForState)
                context.close(promise: nil)
                return
            }
            let sent = context.eventLoop.makePromise(of: Void.self)
            // Sent, failed, or dropped with the connection's pending writes: the file is closed exactly once.
            sent.futureResult.whenComplete { _ in try? region.fileHandle.close() }
            context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: sent)
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        queue.close()
    }
}

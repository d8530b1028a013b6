import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 connection with a `FileRegionWriter` added above NIO's HTTP/1 encoder, and the
/// connection's `FileRegionQueue` set for every request it answers, so segment bodies can go out by sendfile(2), and
/// its peer's address (`ViewerAddress`), which viewer-bound playback tokens are checked against.
/// Everything else (decoding, keep-alive, idle timeout, additional handlers) is `HTTP1Channel`'s.
struct ZeroCopyHTTP1Channel: ServerChildChannel {
    /// One accepted connection: Hummingbird's async channel and the queue its zero-copy bodies go through.
    struct Connection: ServerChildChannelValue {
        let http: HTTP1Channel.Value
        let regions: FileRegionQueue
        var channel: any Channel { http.channel }
    }

    let http1: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { http in
            let regions = FileRegionQueue()
            let pipeline = channel.pipeline.syncOperations
            let encoder = try pipeline.handler(type: HTTPResponseEncoder.self)
            try pipeline.addHandler(FileRegionWriter(queue: regions), position: .after(encoder))
            return Connection(http: http, regions: regions)
        }
    }

    func handle(value: Connection, logger: Logger) async {
        // Requests are answered on this connection's task, so task-locals reach every handler.
        await FileRegionQueue.$current.withValue(value.regions) {
            await ViewerAddress.$current.withValue(value.channel.remoteAddress?.ipAddress) {
                await http1.handle(value: value.http, logger: logger)
            }
        }
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1.1 server whose package-file responses are sent zero-copy (see `ZeroCopyHTTP1Channel`).
    static func zeroCopyHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            ZeroCopyHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}

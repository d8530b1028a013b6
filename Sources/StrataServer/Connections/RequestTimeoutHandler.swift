import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client stalls: no request head within `headerTimeout` of connecting, no
/// next request within `idleTimeout` of the last response, or no body bytes for `bodyTimeout` while an
/// upload is read. Also tells the registry when the connection waits for a head, so it can be shed at the cap.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase: String {
        case firstHead = "request head", nextHead = "next request", body = "request body", responding
    }

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let logger: Logger
    private var phase = Phase.firstHead
    /// Requests whose head has arrived and whose response has not ended (HTTP/1.1 pipelining allows several).
    private var inFlight = 0
    /// When the current phase times out; nil while a response is being produced.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(limits: ConnectionLimits, registry: ConnectionRegistry, logger: Logger) {
        self.limits = limits
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.waitingForHead(context.channel)
        arm(context, after: limits.headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.busy(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.busy(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            phase = .body
            registry.busy(context.channel)
            arm(context, after: limits.bodyTimeout)
        case .body:
            arm(context, after: limits.bodyTimeout)
        case .end:
            phase = .responding
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight -= 1
            if inFlight == 0, phase == .responding {
                phase = .nextHead
                registry.waitingForHead(context.channel)
                arm(context, after: limits.idleTimeout)
            }
        }
        context.write(data, promise: promise)
    }

    /// Moves the deadline; one timer per connection, re-armed when it fires early.
    private func arm(_ context: ChannelHandlerContext, after timeout: Duration) {
        let newDeadline = NIODeadline.now() + TimeAmount(timeout)
        deadline = newDeadline
        if timer == nil { schedule(context, at: newDeadline) }
    }

    private func schedule(_ context: ChannelHandlerContext, at when: NIODeadline) {
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: when) { [self] in
            timer = nil
            guard let deadline else { return }  // a response is being produced: no client timeout applies
            if deadline > .now() {
                schedule(context, at: deadline)
                return
            }
            logger.debug("closing a stalled connection", metadata: [
                "waitingFor": "\(phase.rawValue)", "remote": "\(context.channel.remoteAddress?.description ?? "?")",
            ])
            context.close(promise: nil)
        }
    }
}

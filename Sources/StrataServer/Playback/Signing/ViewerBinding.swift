import Foundation
import Hummingbird
import NIOCore

/// Who a playback token is for (when minting), or who is asking (when checking): the viewer's IP address and the
/// origin of the page that refers to the stream, both in one canonical spelling so they sign the same either way.
struct ViewerBinding: Sendable, Hashable {
    /// An IP address as `inet_ntop` writes it (`2001:db8::1`; an IPv4-mapped IPv6 address as plain IPv4).
    var ip: String?
    /// `scheme://host[:port]`, lowercase, without a default port (RFC 6454 §6.2, the serialization of an origin).
    var referrer: String?

    init(ip: String? = nil, referrer: String? = nil) {
        self.ip = ip
        self.referrer = referrer
    }

    /// The viewer of `request`: the connection's peer address and the origin of its `Referer`, when it has one that is
    /// an http(s) URL. `X-Forwarded-For` is ignored (any client can write it) unless `trustingForwardedFor`: then its
    /// last address, the one the reverse proxy in front of Strata appended, stands for the viewer.
    init(request: Request, trustingForwardedFor: Bool) {
        let forwarded = trustingForwardedFor
            ? request.headers[values: .init("X-Forwarded-For")!].flatMap(FieldList.trimmedElements).last
            : nil
        ip = (forwarded ?? ViewerAddress.current).flatMap(ViewerBinding.canonicalIP)
        referrer = request.headers[.referer].flatMap(ViewerBinding.origin)
    }

    /// `text` as a canonical IP address, or nil when it is not one (SwiftNIO parses it with `inet_pton` and
    /// writes it back with `inet_ntop`).
    static func canonicalIP(_ text: String) -> String? {
        guard text.utf8.count <= 64, let canonical = (try? SocketAddress(ipAddress: text, port: 0))?.ipAddress else { return nil }
        if canonical.hasPrefix("::ffff:"), canonical.contains(".") { return String(canonical.dropFirst(7)) }
        return canonical
    }

    /// The origin of an http(s) URL (or of an origin itself), or nil for anything else.
    static func origin(_ text: String) -> String? {
        guard text.utf8.count <= 2048, let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        let port = url.port.flatMap { ($0 == 80 && scheme == "http") || ($0 == 443 && scheme == "https") ? nil : $0 }
        return "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }
}

/// The peer address of the connection the current request came on, set by `ZeroCopyHTTP1Channel` for each connection
/// (Hummingbird's `BasicRequestContext` does not carry it).
enum ViewerAddress {
    @TaskLocal static var current: String?
}

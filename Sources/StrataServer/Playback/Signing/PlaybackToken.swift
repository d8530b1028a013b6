import Crypto
import Foundation

/// A signed-playback token: `<expiry>.<signature>`, or `<expiry>.<binding>.<signature>` for a token bound to a viewer
/// (`binding` is `i` for the viewer's IP address, `r` for the referring site, `ir` for both). The expiry is Unix seconds;
/// the signature is the lowercase hex of HMAC-SHA256(signing key, message), the message being `<asset id>/<expiry>`,
/// then `/ip=<address>` when bound to an IP, then `/referrer=<origin>` when bound to a referrer. The bound values are
/// not in the token: the server rebuilds the message from the request, so a token copied elsewhere does not verify.
/// Operators can mint one offline:
///
///     printf '%s/%s/ip=%s' "$ASSET" "$EXPIRY" "$IP" | openssl dgst -sha256 -mac HMAC -macopt hexkey:"$KEY" | sed 's/^.* //'
///
/// It travels as a path segment (`/stream/{id}/t/{token}/…`), so the relative URLs inside playlists keep it.
struct PlaybackToken: Sendable {
    let expiry: Int
    let bindsIP: Bool
    let bindsReferrer: Bool
    let signature: Data

    /// Mints a token for `asset` valid until `expiry` (Unix seconds), for `binding`'s viewer only when it names one.
    static func mint(asset: String, expiry: Int, binding: ViewerBinding = ViewerBinding(), key: SymmetricKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(message(asset: asset, expiry: expiry, binding: binding).utf8), using: key)
        let flags = (binding.ip == nil ? "" : "i") + (binding.referrer == nil ? "" : "r")
        return "\(expiry)." + (flags.isEmpty ? "" : "\(flags).") + Data(code).map { String(format: "%02x", $0) }.joined()
    }

    /// The message signed: the asset's id and the expiry, so a token opens one asset for a bounded time, then what it is bound to.
    static func message(asset: String, expiry: Int, binding: ViewerBinding) -> String {
        var message = "\(asset)/\(expiry)"
        if let ip = binding.ip { message += "/ip=\(ip)" }
        if let referrer = binding.referrer { message += "/referrer=\(referrer)" }
        return message
    }

    /// Parses `<expiry>[.<i|r|ir>].<64 hex digits>`; nil for anything else.
    init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count <= 12, let expiry = Int(parts[0]), expiry > 0 else { return nil }
        let flags = parts.count == 3 ? parts[1] : ""
        guard parts.count == 2 || ["i", "r", "ir"].contains(flags) else { return nil }
        let hex = parts[parts.count - 1]
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.expiry = expiry
        bindsIP = flags.contains("i")
        bindsReferrer = flags.contains("r")
        signature = Data(bytes)
    }

    /// Whether the token was signed with `key` for `asset`, has not expired at `now`, and, when bound, was minted for
    /// this `viewer` (its address and referring origin as the request shows them).
    func opens(_ asset: String, key: SymmetricKey, viewer: ViewerBinding = ViewerBinding(), now: Date = Date()) -> Bool {
        guard Double(expiry) > now.timeIntervalSince1970 else { return false }
        let binding = ViewerBinding(ip: bindsIP ? viewer.ip : nil, referrer: bindsReferrer ? viewer.referrer : nil)
        guard binding.ip != nil || !bindsIP, binding.referrer != nil || !bindsReferrer else { return false }
        // Constant-time comparison inside swift-crypto.
        return HMAC<SHA256>.isValidAuthenticationCode(
            signature, authenticating: Data(PlaybackToken.message(asset: asset, expiry: expiry, binding: binding).utf8), using: key)
    }
}

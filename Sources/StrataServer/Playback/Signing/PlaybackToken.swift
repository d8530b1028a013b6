import Crypto
import Foundation

/// A signed-playback token: `<expiry>.<signature>`, where expiry is Unix seconds and the signature is the lowercase
/// hex of HMAC-SHA256(signing key, "<asset id>/<expiry>"). Operators can mint one offline:
///
///     printf '%s/%s' "$ASSET" "$EXPIRY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:"$KEY" | sed 's/^.* //'
///
/// It travels as a path segment (`/stream/{id}/t/{token}/…`), so the relative URLs inside playlists keep it.
struct PlaybackToken: Sendable {
    let expiry: Int
    let signature: Data

    /// Mints a token for `asset` valid until `expiry` (Unix seconds).
    static func mint(asset: String, expiry: Int, key: SymmetricKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(message(asset: asset, expiry: expiry).utf8), using: key)
        return "\(expiry).\(Data(code).map { String(format: "%02x", $0) }.joined())"
    }

    /// The message signed: the asset's id and the expiry, so a token opens one asset for a bounded time.
    static func message(asset: String, expiry: Int) -> String { "\(asset)/\(expiry)" }

    /// Parses `<expiry>.<64 hex digits>`; nil for anything else.
    init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 12, let expiry = Int(parts[0]), expiry > 0, parts[1].utf8.count == 64,
              parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        var bytes: [UInt8] = []
        var index = parts[1].startIndex
        while index < parts[1].endIndex {
            let next = parts[1].index(index, offsetBy: 2)
            guard let byte = UInt8(parts[1][index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.expiry = expiry
        signature = Data(bytes)
    }

    /// Whether the token was signed with `key` for `asset` and has not expired at `now`.
    func opens(_ asset: String, key: SymmetricKey, now: Date = Date()) -> Bool {
        guard Double(expiry) > now.timeIntervalSince1970 else { return false }
        // Constant-time comparison inside swift-crypto.
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(PlaybackToken.message(asset: asset, expiry: expiry).utf8),
                                                      using: key)
    }
}

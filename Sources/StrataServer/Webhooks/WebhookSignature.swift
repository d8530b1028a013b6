import Crypto
import Foundation

/// `Strata-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as Stripe signs: the receiver
/// recomputes it over the raw body and rejects old timestamps, so a captured delivery cannot be replayed later.
enum WebhookSignature {
    static let header = "Strata-Signature"

    static func sign(body: String, secret: String, timestamp: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(Data(code).map { String(format: "%02x", $0) }.joined())"
    }

    /// A new secret for an endpoint that did not bring one.
    static func newSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

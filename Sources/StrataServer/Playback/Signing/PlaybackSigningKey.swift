import Crypto
import Foundation

/// The server's playback signing key: 32 random bytes in `<data>/playback-signing.key` (mode 0600), made on first start.
enum PlaybackSigningKey {
    static func load(dataDirectory: URL) throws -> SymmetricKey {
        let file = dataDirectory.appendingPathComponent("playback-signing.key")
        if let data = try? Data(contentsOf: file), data.count == 32 { return SymmetricKey(data: data) }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return key
    }

    /// The key as lowercase hex, what `openssl dgst -mac HMAC -macopt hexkey:` takes.
    static func hex(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }
}

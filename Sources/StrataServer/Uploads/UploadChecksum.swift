import Crypto
import Foundation

/// The `Upload-Checksum` header, `<algorithm> <base64 digest>` of one PATCH body (tus 1.0 §checksum).
struct UploadChecksum: Sendable {
    enum Algorithm: String, CaseIterable, Sendable {
        case sha256, sha1, md5
    }

    let algorithm: Algorithm
    let expected: Data

    /// `nil` without the header; a 400 when it names an unsupported algorithm or is not base64.
    init?(header: String?) throws(APIError) {
        guard let header else { return nil }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let algorithm = Algorithm(rawValue: parts[0].lowercased()) else {
            throw APIError.badRequest("Upload-Checksum must be '<algorithm> <base64 digest>' with one of "
                + Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let digest = Data(base64Encoded: String(parts[1])) else {
            throw APIError.badRequest("Upload-Checksum's digest must be base64")
        }
        self.algorithm = algorithm
        expected = digest
    }

    /// A running digest of the chunk as it is written.
    func hasher() -> ChunkHasher { ChunkHasher(algorithm) }
}

/// Accumulates a digest over a body's buffers without holding them.
struct ChunkHasher {
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()
    private var md5 = Insecure.MD5()
    let algorithm: UploadChecksum.Algorithm

    init(_ algorithm: UploadChecksum.Algorithm) { self.algorithm = algorithm }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch algorithm {
        case .sha256: sha256.update(bufferPointer: bytes)
        case .sha1: sha1.update(bufferPointer: bytes)
        case .md5: md5.update(bufferPointer: bytes)
        }
    }

    func finalize() -> Data {
        switch algorithm {
        case .sha256: Data(sha256.finalize())
        case .sha1: Data(sha1.finalize())
        case .md5: Data(md5.finalize())
        }
    }
}

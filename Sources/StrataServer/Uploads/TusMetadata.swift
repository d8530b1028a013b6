import Foundation

/// The `Upload-Metadata` header: comma-separated `key base64value` pairs (tus 1.0 §creation).
struct TusMetadata: Sendable {
    var values: [String: String]

    /// Parses the header, or says what is wrong with it.
    init(header: String?) throws(APIError) {
        values = [:]
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        for pair in FieldList.trimmedElements(header) {
            let parts = pair.split(separator: " ", omittingEmptySubsequences: true)
            guard let key = parts.first, parts.count <= 2, !key.isEmpty else {
                throw APIError.badRequest("Upload-Metadata must be comma-separated 'key base64value' pairs")
            }
            guard values[String(key)] == nil else { throw APIError.badRequest("Upload-Metadata names '\(key)' twice") }
            if parts.count == 1 {
                values[String(key)] = ""
                continue
            }
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8) else {
                throw APIError.badRequest("Upload-Metadata value of '\(key)' must be base64 of UTF-8 text")
            }
            values[String(key)] = text
        }
    }

    /// `profile`, else `default`.
    var profile: String { values["profile"].flatMap { $0.isEmpty ? nil : $0 } ?? "default" }
    /// `title`, else the client's `filename` (what tus-js-client and tuspy send).
    var title: String? { values["title"] ?? values["filename"] }
    /// `audioLanguages` ("en,es"): the master's audio languages to keep, validated (400 for an unknown code).
    func audioLanguages() throws(APIError) -> [String]? { try AudioLanguagesOption.parse(values[AudioLanguagesOption.key]) }
}

/// Request headers that shape a playback response, parsed without the server (so they can be fuzzed alone).
enum PlaybackHeaders {
    /// True when `Accept-Encoding` lists gzip (or `*`) without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in FieldList.elements(header.lowercased()) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }

    /// `If-None-Match`: `*` or a list of tags, weak ones compared weakly (RFC 9110 §13.1.2).
    static func ifNoneMatch(_ header: String, matches tag: String) -> Bool {
        if header.trimmingCharacters(in: .whitespaces) == "*" { return true }
        return FieldList.trimmedElements(header).contains { candidate in
            var value = candidate
            if value.hasPrefix("W/") { value.removeFirst(2) }
            return value == tag
        }
    }
}

/// The elements of a comma-separated HTTP field value (RFC 9110 §5.6.1), split at every comma byte.
///
/// `String.split` works on grapheme clusters, and a cluster may swallow the comma that follows a "prepend"
/// character (U+0600, say), so a list would lose a separator; a field value is bytes, split as bytes.
enum FieldList {
    static func elements(_ value: String) -> [Substring] {
        value.unicodeScalars.split(separator: ",").map { Substring($0) }
    }

    /// The elements with surrounding spaces and tabs removed (optional whitespace, RFC 9110 §5.6.3).
    static func trimmedElements(_ value: String) -> [String] {
        elements(value).map { element in
            let scalars = element.unicodeScalars
            guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
                  let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
            return String(scalars[first...last])
        }
    }
}

/// A profile that cannot be used: where the problem is (file, line, key path) and what is wrong.
public struct ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the profile came from, or a label such as "request body".
    public var source: String
    /// 1-based line in the source, when known.
    public var line: Int?
    /// Dotted path to the offending key, e.g. "renditions[2].bitrate"; empty for the whole document.
    public var keyPath: String
    /// What is wrong and, where it helps, what would be right.
    public var reason: String

    public init(source: String, line: Int? = nil, keyPath: String, reason: String) {
        self.source = source
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        return keyPath.isEmpty ? "\(location): \(reason)" : "\(location): \(keyPath): \(reason)"
    }
}

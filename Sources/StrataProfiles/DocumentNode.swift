import Yams

/// A node of a profile document with the key path that leads to it, read strictly:
/// every accessor checks the type and range and throws a `ProfileError` naming the path and line.
struct DocumentNode {
    let node: Node
    let keyPath: String
    let source: String

    var line: Int? { node.mark?.line }

    func error(_ reason: String) -> ProfileError {
        ProfileError(source: source, line: line, keyPath: keyPath, reason: reason)
    }

    /// The node as a mapping whose keys must all be in `allowedKeys`.
    func mapping(allowedKeys: [String]) throws(ProfileError) -> DocumentMapping {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys, got \(kindName)") }
        var children: [String: DocumentNode] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw DocumentNode(node: key, keyPath: keyPath, source: source).error("keys must be plain words")
            }
            let name = scalar.string
            let childPath = keyPath.isEmpty ? name : "\(keyPath).\(name)"
            guard allowedKeys.contains(name) else {
                var reason = "unknown key; allowed keys here are \(allowedKeys.joined(separator: ", "))"
                if let suggestion = closestMatch(to: name, in: allowedKeys) { reason += " (did you mean '\(suggestion)'?)" }
                throw ProfileError(source: source, line: key.mark?.line, keyPath: childPath, reason: reason)
            }
            children[name] = DocumentNode(node: value, keyPath: childPath, source: source)
        }
        return DocumentMapping(owner: self, children: children)
    }

    /// The node as a list.
    func sequence() throws(ProfileError) -> [DocumentNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, got \(kindName)") }
        return sequence.enumerated().map { DocumentNode(node: $0.element, keyPath: "\(keyPath)[\($0.offset)]", source: source) }
    }

    /// The node as text.
    func string() throws(ProfileError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text, got \(kindName)") }
        return scalar.string
    }

    /// The node as a yes/no switch (`true`/`false`; YAML's `yes`/`no`/`on`/`off` too).
    func boolean() throws(ProfileError) -> Bool {
        let text = try string()
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got '\(text)'")
        }
    }

    /// The node as a whole number within `range`.
    func integer(in range: ClosedRange<Int>) throws(ProfileError) -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, got '\(text)'") }
        guard range.contains(value) else { throw error("\(value) is out of range; use \(range.lowerBound)…\(range.upperBound)") }
        return value
    }

    /// The node as a number within `range`.
    func number(in range: ClosedRange<Double>) throws(ProfileError) -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("expected a number, got '\(text)'") }
        guard range.contains(value) else { throw error("\(text) is out of range; use \(format(range.lowerBound))…\(format(range.upperBound))") }
        return value
    }

    /// The node as a bit rate (`5000k`, `2.8M`, `128000`) within `range` bits per second.
    func bitRate(in range: ClosedRange<Int>) throws(ProfileError) -> Int {
        let text = try string()
        guard let value = BitRate.parse(text) else { throw error("expected a bit rate such as 2800k or 5M, got '\(text)'") }
        guard range.contains(value) else {
            throw error("\(text) is out of range; use \(BitRate.format(range.lowerBound))…\(BitRate.format(range.upperBound))")
        }
        return value
    }

    /// The node as one of an enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) throws(ProfileError) -> Choice where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        let text = try string()
        guard let value = Choice(rawValue: text) else { throw unsupported(text, allowed) }
        return value
    }

    /// The node as one of `allowed`.
    func choice(of allowed: [String]) throws(ProfileError) -> String {
        let text = try string()
        guard allowed.contains(text) else { throw unsupported(text, allowed) }
        return text
    }

    /// The node as one of `allowed` for `codec`, naming the codec when it is not.
    func choice(of allowed: [String], for codec: VideoCodec) throws(ProfileError) -> String {
        let text = try string()
        guard allowed.contains(text) else {
            throw error("'\(text)' is not supported for codec \(codec.rawValue); use one of \(allowed.joined(separator: ", "))")
        }
        return text
    }

    private func unsupported(_ text: String, _ allowed: [String]) -> ProfileError {
        error("'\(text)' is not supported; use one of \(allowed.joined(separator: ", "))")
    }

    private var kindName: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The children of a mapping node, by key.
struct DocumentMapping {
    let owner: DocumentNode
    let children: [String: DocumentNode]

    subscript(key: String) -> DocumentNode? { children[key] }

    /// The child under `key`, or an error saying it is missing.
    func required(_ key: String) throws(ProfileError) -> DocumentNode {
        guard let child = children[key] else { throw owner.error("missing required key '\(key)'") }
        return child
    }
}

/// The allowed key nearest to a misspelt one, if it is close enough to be a likely typo.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}

/// A minimal XML element tree for writing manifests: ordered attributes, children, escaped text.
struct XMLNode: Sendable, Hashable {
    var name: String
    var attributes: [(String, String)] = []
    var children: [XMLNode] = []
    /// Character data, for leaf elements such as `BaseURL`.
    var text: String?

    init(_ name: String, _ attributes: [(String, String?)] = [], children: [XMLNode] = []) {
        self.name = name
        self.attributes = attributes.compactMap { key, value in value.map { (key, $0) } }
        self.children = children
    }

    /// A leaf element holding only text.
    static func text(_ name: String, _ text: String) -> XMLNode {
        var node = XMLNode(name)
        node.text = text
        return node
    }

    static func == (lhs: XMLNode, rhs: XMLNode) -> Bool {
        lhs.name == rhs.name && lhs.children == rhs.children && lhs.text == rhs.text
            && lhs.attributes.map { $0.0 + "=" + $0.1 } == rhs.attributes.map { $0.0 + "=" + $0.1 }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(children)
        hasher.combine(text)
        for (key, value) in attributes { hasher.combine(key); hasher.combine(value) }
    }

    /// The element and its children, indented two spaces per level.
    func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let attributeText = attributes.map { " \($0.0)=\"\(XMLNode.escape($0.1))\"" }.joined()
        if let text { return "\(pad)<\(name)\(attributeText)>\(XMLNode.escape(text))</\(name)>\n" }
        if children.isEmpty { return "\(pad)<\(name)\(attributeText)/>\n" }
        return "\(pad)<\(name)\(attributeText)>\n" + children.map { $0.render(indent: indent + 1) }.joined() + "\(pad)</\(name)>\n"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}

extension ProfileParser {
    static let cropKeys = ["name", "aspect", "heights"]
    /// More crops than this would multiply the encode several times over.
    static let maximumCrops = 4

    /// `crops: [{name: vertical, aspect: "9:16", heights: [1080, 720]}, {name: square, aspect: "1:1"}]`.
    static func readCrops(_ node: DocumentNode?) throws(ProfileError) -> [CropSpec]? {
        guard let node else { return nil }
        let nodes = try node.sequence()
        guard nodes.count <= maximumCrops else { throw node.error("at most \(maximumCrops) crops are supported, got \(nodes.count)") }
        var crops: [CropSpec] = []
        for cropNode in nodes {
            let mapping = try cropNode.mapping(allowedKeys: cropKeys)
            let nameNode = try mapping.required("name")
            let name = try nameNode.string()
            try validateName(name, nameNode)
            if crops.contains(where: { $0.name == name }) {
                throw nameNode.error("crop name '\(name)' is used twice; names must be unique")
            }
            let (width, height) = try readAspect(try mapping.required("aspect"))
            var heights: [Int]?
            if let heightsNode = mapping["heights"] {
                let items = try heightsNode.sequence()
                guard !items.isEmpty, items.count <= 8 else { throw heightsNode.error("list 1 to 8 heights, or leave the key out to follow the main ladder") }
                var values: [Int] = []
                for item in items {
                    let value = try item.integer(in: 32...4320)
                    guard !values.contains(value) else { throw item.error("height \(value) is listed twice") }
                    values.append(value)
                }
                heights = values.sorted(by: >)
            }
            crops.append(CropSpec(name: name, aspectWidth: width, aspectHeight: height, heights: heights))
        }
        return crops
    }

    /// "9:16" → (9, 16), in lowest terms; between 1:5 and 5:1.
    private static func readAspect(_ node: DocumentNode) throws(ProfileError) -> (Int, Int) {
        let text = try node.string()
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), (1...100).contains(width), (1...100).contains(height) else {
            throw node.error("'\(text)' is not an aspect ratio; write width:height with whole numbers, e.g. \"9:16\" (quote it in YAML)")
        }
        let ratio = Double(width) / Double(height)
        guard ratio >= 0.2, ratio <= 5 else { throw node.error("\(text) is too extreme; use a ratio between 1:5 and 5:1") }
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let divisor = gcd(width, height)
        return (width / divisor, height / divisor)
    }
}

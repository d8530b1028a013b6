import Foundation

/// A minimal reader of HLS playlists for checking output. Written separately from Strata's renderer
/// on purpose: tests must not read the output with the code that wrote it.
public struct HLSAttributes: Sendable {
    public var values: [String: String]

    public init(_ text: Substring) {
        var values: [String: String] = [:]
        var rest = text[...]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            var value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                let close = body.firstIndex(of: "\"") ?? body.endIndex
                value = body[..<close]
                rest = close < body.endIndex ? body[body.index(after: close)...] : body[body.endIndex...]
            } else {
                let comma = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<comma]
                rest = rest[comma...]
            }
            if rest.first == "," { rest = rest.dropFirst() }
            values[name] = String(value)
        }
        self.values = values
    }

    public subscript(name: String) -> String? { values[name] }
}

/// The lines of a master playlist that matter to players.
public struct MasterPlaylistFile: Sendable {
    public struct Variant: Sendable {
        public var attributes: HLSAttributes
        public var uri: String
    }

    public var lines: [String]
    public var variants: [Variant] = []
    public var media: [HLSAttributes] = []
    public var iFrameVariants: [HLSAttributes] = []

    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var pending: HLSAttributes?
        for line in lines {
            if line.hasPrefix("#EXT-X-STREAM-INF:") {
                pending = HLSAttributes(line.dropFirst("#EXT-X-STREAM-INF:".count))
            } else if line.hasPrefix("#EXT-X-MEDIA:") {
                media.append(HLSAttributes(line.dropFirst("#EXT-X-MEDIA:".count)))
            } else if line.hasPrefix("#EXT-X-I-FRAME-STREAM-INF:") {
                iFrameVariants.append(HLSAttributes(line.dropFirst("#EXT-X-I-FRAME-STREAM-INF:".count)))
            } else if let attributes = pending, !line.isEmpty, !line.hasPrefix("#") {
                variants.append(Variant(attributes: attributes, uri: line))
                pending = nil
            }
        }
    }
}

/// A media playlist: its init segment and entries.
public struct MediaPlaylistFile: Sendable {
    public struct Entry: Sendable {
        public var duration: Double
        public var uri: String
        public var byteRange: (count: Int, offset: Int)?
    }

    public var mapURI: String?
    public var targetDuration: Int?
    public var entries: [Entry] = []
    public var tags: [String] = []

    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var duration: Double?
        var range: (Int, Int)?
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("#") { tags.append(line) }
            if line.hasPrefix("#EXT-X-MAP:") {
                mapURI = HLSAttributes(line.dropFirst("#EXT-X-MAP:".count))["URI"]
            } else if line.hasPrefix("#EXT-X-TARGETDURATION:") {
                targetDuration = Int(line.dropFirst("#EXT-X-TARGETDURATION:".count))
            } else if line.hasPrefix("#EXTINF:") {
                duration = Double(line.dropFirst("#EXTINF:".count).split(separator: ",").first ?? "")
            } else if line.hasPrefix("#EXT-X-BYTERANGE:") {
                let parts = line.dropFirst("#EXT-X-BYTERANGE:".count).split(separator: "@").compactMap { Int($0) }
                range = parts.count == 2 ? (parts[0], parts[1]) : nil
            } else if !line.hasPrefix("#"), let current = duration {
                entries.append(Entry(duration: current, uri: line, byteRange: range))
                duration = nil
                range = nil
            }
        }
    }

    public var totalDuration: Double { entries.reduce(0) { $0 + $1.duration } }
}

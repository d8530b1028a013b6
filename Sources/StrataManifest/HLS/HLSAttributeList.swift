/// An HLS attribute list (`NAME=value,NAME="text"`), kept in insertion order (RFC 8216 §4.2).
struct HLSAttributeList: Sendable, Hashable {
    private var items: [String] = []

    /// A decimal integer.
    mutating func number(_ name: String, _ value: Int) {
        items.append("\(name)=\(value)")
    }

    /// An enumerated string or other unquoted value (YES, AUDIO, 1920x1080, 29.970).
    mutating func enumerated(_ name: String, _ value: String) {
        items.append("\(name)=\(value)")
    }

    /// A quoted string. RFC 8216 forbids `"`, CR and LF inside; they become `'` and spaces.
    mutating func quoted(_ name: String, _ value: String) {
        let safe = value.map { character -> String in
            switch character {
            case "\"": "'"
            case "\r", "\n", "\r\n": " "
            default: String(character)
            }
        }.joined()
        items.append("\(name)=\"\(safe)\"")
    }

    /// The attributes `EXT-X-STREAM-INF` and `EXT-X-I-FRAME-STREAM-INF` share (RFC 8216 §4.3.4.2–3).
    static func streamInfo(bandwidth: Int, averageBandwidth: Int, codecs: [String], width: Int, height: Int) -> HLSAttributeList {
        var list = HLSAttributeList()
        list.number("BANDWIDTH", bandwidth)
        list.number("AVERAGE-BANDWIDTH", averageBandwidth)
        list.quoted("CODECS", codecs.joined(separator: ","))
        list.enumerated("RESOLUTION", "\(width)x\(height)")
        return list
    }

    var rendered: String { items.joined(separator: ",") }
}

import Foundation
import Hummingbird
import StrataManifest

/// Settings a page's query can override: `?viewer=NAME&t=30&audio=es&captions=fr|off&autoplay=1&muted=1&engine=mse`,
/// and the playback token a `signed` asset needs (`?token=`).
struct PageOverrides: Sendable {
    var viewer: String?
    var startTime: Double?
    var audioLanguage: String?
    var captionsLanguage: String?
    var autoplay: Bool?
    var muted: Bool?
    var engine: String?
    var token: String?

    /// Reads the query, refusing values that are not what the parameter takes (400 with the reason).
    init(_ query: [String: String]) throws {
        if let name = query["viewer"] {
            guard ViewerRoutes.isName(name) else { throw APIError.badRequest("viewer: '\(name)' is not a viewer preset name") }
            viewer = name
        }
        if let text = query["t"] {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
                throw APIError.badRequest("t: '\(text)' is not a number of seconds")
            }
            startTime = seconds
        }
        audioLanguage = try query["audio"].map { try Self.language($0, parameter: "audio") }
        captionsLanguage = try query["captions"].map { $0 == "off" ? "off" : try Self.language($0, parameter: "captions") }
        autoplay = try query["autoplay"].map { try Self.flag($0, parameter: "autoplay") }
        muted = try query["muted"].map { try Self.flag($0, parameter: "muted") }
        if let text = query["engine"] {
            guard ["auto", "native", "mse"].contains(text) else { throw APIError.badRequest("engine: use auto, native or mse") }
            engine = text
        }
        // Checked (shape, signature, expiry, binding) by PlaybackAccess before it goes into any URL of the page.
        token = query["token"]
    }

    private static func language(_ text: String, parameter: String) throws -> String {
        let plain = text.count <= 35 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard plain, let tag = LanguageTag.bcp47(text), tag != "und" else {
            throw APIError.badRequest("\(parameter): '\(text)' is not a language code")
        }
        return tag
    }

    private static func flag(_ text: String, parameter: String) throws -> Bool {
        switch text {
        case "1", "true": return true
        case "0", "false": return false
        default: throw APIError.badRequest("\(parameter): use 1 or 0")
        }
    }
}

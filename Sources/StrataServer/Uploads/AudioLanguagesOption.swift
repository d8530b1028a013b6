import StrataManifest
import StrataProfiles

/// The `audioLanguages` upload option (raw-body query or tus `Upload-Metadata`): which of the master's audio
/// languages the package keeps, for this asset only. It is the profile's `audio: {languages: […]}`, and replaces it.
enum AudioLanguagesOption {
    static let key = "audioLanguages"

    /// Parses "en,es" (commas or spaces; ISO 639-1 or -2 codes) into BCP 47 tags; nil when absent.
    /// An unknown code is 400 `unknown_language`, so nothing is stored for a request that names one.
    static func parse(_ text: String?) throws(APIError) -> [String]? {
        guard let text else { return nil }
        let codes = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard !codes.isEmpty, codes.count <= 64 else {
            throw APIError(.badRequest, "unknown_language", "\(key): list 1–64 language codes such as en,es, or leave it out to keep every audio language")
        }
        var tags: [String] = []
        for code in codes {
            let plain = code.count <= 35 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            guard plain, let tag = LanguageTag.bcp47(code), tag != "und" else {
                throw APIError(.badRequest, "unknown_language",
                               "\(key): '\(code.prefix(35))' is not a language code Strata knows; use ISO 639 codes such as en, es, fra, deu")
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }
}

extension EncodingProfile {
    /// The profile keeping only `languages` of the master's audio (unchanged when nil).
    func keepingAudio(_ languages: [String]?) -> EncodingProfile {
        guard let languages else { return self }
        var profile = self
        profile.audio.languages = languages
        return profile
    }
}

import Foundation

/// Converts container language tags (ISO 639-2, e.g. "eng", "ger"/"deu") to BCP 47 (RFC 5646, e.g. "en"),
/// the form HLS `LANGUAGE` and DASH `@lang` expect, and names languages in their own words.
public enum LanguageTag {
    /// A known language: its ISO 639-1 code, the ISO 639-2 codes that map to it, and its own name.
    private struct Language {
        let bcp47: String
        let iso639_2: [String]
        let nativeName: String
    }

    private static let languages: [Language] = [
        Language(bcp47: "af", iso639_2: ["afr"], nativeName: "Afrikaans"),
        Language(bcp47: "am", iso639_2: ["amh"], nativeName: "አማርኛ"),
        Language(bcp47: "ar", iso639_2: ["ara"], nativeName: "العربية"),
        Language(bcp47: "az", iso639_2: ["aze"], nativeName: "Azərbaycanca"),
        Language(bcp47: "be", iso639_2: ["bel"], nativeName: "Беларуская"),
        Language(bcp47: "bg", iso639_2: ["bul"], nativeName: "Български"),
        Language(bcp47: "bn", iso639_2: ["ben"], nativeName: "বাংলা"),
        Language(bcp47: "bs", iso639_2: ["bos"], nativeName: "Bosanski"),
        Language(bcp47: "ca", iso639_2: ["cat"], nativeName: "Català"),
        Language(bcp47: "cs", iso639_2: ["cze", "ces"], nativeName: "Čeština"),
        Language(bcp47: "cy", iso639_2: ["wel", "cym"], nativeName: "Cymraeg"),
        Language(bcp47: "da", iso639_2: ["dan"], nativeName: "Dansk"),
        Language(bcp47: "de", iso639_2: ["ger", "deu"], nativeName: "Deutsch"),
        Language(bcp47: "el", iso639_2: ["gre", "ell"], nativeName: "Ελληνικά"),
        Language(bcp47: "en", iso639_2: ["eng"], nativeName: "English"),
        Language(bcp47: "es", iso639_2: ["spa"], nativeName: "Español"),
        Language(bcp47: "et", iso639_2: ["est"], nativeName: "Eesti"),
        Language(bcp47: "eu", iso639_2: ["baq", "eus"], nativeName: "Euskara"),
        Language(bcp47: "fa", iso639_2: ["per", "fas"], nativeName: "فارسی"),
        Language(bcp47: "fi", iso639_2: ["fin"], nativeName: "Suomi"),
        Language(bcp47: "fil", iso639_2: ["fil"], nativeName: "Filipino"),
        Language(bcp47: "fr", iso639_2: ["fre", "fra"], nativeName: "Français"),
        Language(bcp47: "ga", iso639_2: ["gle"], nativeName: "Gaeilge"),
        Language(bcp47: "gl", iso639_2: ["glg"], nativeName: "Galego"),
        Language(bcp47: "gu", iso639_2: ["guj"], nativeName: "ગુજરાતી"),
        Language(bcp47: "he", iso639_2: ["heb"], nativeName: "עברית"),
        Language(bcp47: "hi", iso639_2: ["hin"], nativeName: "हिन्दी"),
        Language(bcp47: "hr", iso639_2: ["hrv"], nativeName: "Hrvatski"),
        Language(bcp47: "hu", iso639_2: ["hun"], nativeName: "Magyar"),
        Language(bcp47: "hy", iso639_2: ["arm", "hye"], nativeName: "Հայերեն"),
        Language(bcp47: "id", iso639_2: ["ind"], nativeName: "Bahasa Indonesia"),
        Language(bcp47: "is", iso639_2: ["ice", "isl"], nativeName: "Íslenska"),
        Language(bcp47: "it", iso639_2: ["ita"], nativeName: "Italiano"),
        Language(bcp47: "ja", iso639_2: ["jpn"], nativeName: "日本語"),
        Language(bcp47: "ka", iso639_2: ["geo", "kat"], nativeName: "ქართული"),
        Language(bcp47: "kk", iso639_2: ["kaz"], nativeName: "Қазақ тілі"),
        Language(bcp47: "km", iso639_2: ["khm"], nativeName: "ខ្មែរ"),
        Language(bcp47: "kn", iso639_2: ["kan"], nativeName: "ಕನ್ನಡ"),
        Language(bcp47: "ko", iso639_2: ["kor"], nativeName: "한국어"),
        Language(bcp47: "lt", iso639_2: ["lit"], nativeName: "Lietuvių"),
        Language(bcp47: "lv", iso639_2: ["lav"], nativeName: "Latviešu"),
        Language(bcp47: "mk", iso639_2: ["mac", "mkd"], nativeName: "Македонски"),
        Language(bcp47: "ml", iso639_2: ["mal"], nativeName: "മലയാളം"),
        Language(bcp47: "mn", iso639_2: ["mon"], nativeName: "Монгол"),
        Language(bcp47: "mr", iso639_2: ["mar"], nativeName: "मराठी"),
        Language(bcp47: "ms", iso639_2: ["may", "msa"], nativeName: "Bahasa Melayu"),
        Language(bcp47: "mt", iso639_2: ["mlt"], nativeName: "Malti"),
        Language(bcp47: "my", iso639_2: ["bur", "mya"], nativeName: "မြန်မာ"),
        Language(bcp47: "nb", iso639_2: ["nob"], nativeName: "Norsk bokmål"),
        Language(bcp47: "ne", iso639_2: ["nep"], nativeName: "नेपाली"),
        Language(bcp47: "nl", iso639_2: ["dut", "nld"], nativeName: "Nederlands"),
        Language(bcp47: "nn", iso639_2: ["nno"], nativeName: "Norsk nynorsk"),
        Language(bcp47: "no", iso639_2: ["nor"], nativeName: "Norsk"),
        Language(bcp47: "pa", iso639_2: ["pan"], nativeName: "ਪੰਜਾਬੀ"),
        Language(bcp47: "pl", iso639_2: ["pol"], nativeName: "Polski"),
        Language(bcp47: "pt", iso639_2: ["por"], nativeName: "Português"),
        Language(bcp47: "ro", iso639_2: ["rum", "ron"], nativeName: "Română"),
        Language(bcp47: "ru", iso639_2: ["rus"], nativeName: "Русский"),
        Language(bcp47: "si", iso639_2: ["sin"], nativeName: "සිංහල"),
        Language(bcp47: "sk", iso639_2: ["slo", "slk"], nativeName: "Slovenčina"),
        Language(bcp47: "sl", iso639_2: ["slv"], nativeName: "Slovenščina"),
        Language(bcp47: "sq", iso639_2: ["alb", "sqi"], nativeName: "Shqip"),
        Language(bcp47: "sr", iso639_2: ["srp"], nativeName: "Српски"),
        Language(bcp47: "sv", iso639_2: ["swe"], nativeName: "Svenska"),
        Language(bcp47: "sw", iso639_2: ["swa"], nativeName: "Kiswahili"),
        Language(bcp47: "ta", iso639_2: ["tam"], nativeName: "தமிழ்"),
        Language(bcp47: "te", iso639_2: ["tel"], nativeName: "తెలుగు"),
        Language(bcp47: "th", iso639_2: ["tha"], nativeName: "ไทย"),
        Language(bcp47: "tr", iso639_2: ["tur"], nativeName: "Türkçe"),
        Language(bcp47: "uk", iso639_2: ["ukr"], nativeName: "Українська"),
        Language(bcp47: "ur", iso639_2: ["urd"], nativeName: "اردو"),
        Language(bcp47: "uz", iso639_2: ["uzb"], nativeName: "Oʻzbekcha"),
        Language(bcp47: "vi", iso639_2: ["vie"], nativeName: "Tiếng Việt"),
        Language(bcp47: "yue", iso639_2: ["yue"], nativeName: "粵語"),
        Language(bcp47: "zh", iso639_2: ["chi", "zho"], nativeName: "中文"),
        Language(bcp47: "zu", iso639_2: ["zul"], nativeName: "isiZulu"),
    ]

    private static let byCode: [String: Language] = {
        var table: [String: Language] = [:]
        for language in languages {
            table[language.bcp47] = language
            for code in language.iso639_2 { table[code] = language }
        }
        return table
    }()

    /// Tags meaning "no language" or "unknown" in containers.
    private static let undetermined: Set<String> = ["und", "unk", "mis", "mul", "zxx", "xxx", ""]

    /// The BCP 47 tag for a container tag, or nil when the tag is not a language Strata knows.
    /// Accepts ISO 639-1 and 639-2 codes, optionally with a region or script subtag ("en-GB", "pt_BR", "zh-Hant").
    public static func bcp47(_ tag: String) -> String? {
        let parts = tag.replacingOccurrences(of: "_", with: "-").split(separator: "-").map(String.init)
        let primary = parts.first?.lowercased() ?? ""
        if undetermined.contains(primary) { return "und" }
        guard let language = byCode[primary] else { return nil }
        let subtags = parts.dropFirst().map { $0.count == 2 ? $0.uppercased() : $0.capitalized }
        return ([language.bcp47] + subtags).joined(separator: "-")
    }

    /// The language's name in its own words ("English", "Español"), or nil for "und".
    public static func nativeName(_ bcp47: String) -> String? {
        guard let primary = bcp47.split(separator: "-").first.map(String.init), primary != "und" else { return nil }
        return byCode[primary]?.nativeName
    }
}

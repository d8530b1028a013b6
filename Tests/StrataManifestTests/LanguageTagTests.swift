import StrataManifest
import Testing

@Suite("Language tags")
struct LanguageTagTests {
    @Test("ISO 639-2 codes become BCP 47", arguments: [
        ("eng", "en"), ("ger", "de"), ("deu", "de"), ("fre", "fr"), ("spa", "es"), ("chi", "zh"), ("en", "en"),
        ("en_GB", "en-GB"), ("pt-br", "pt-BR"), ("und", "und"), ("", "und"), ("ENG", "en"),
    ])
    func convert(tag: String, expected: String) {
        #expect(LanguageTag.bcp47(tag) == expected)
    }

    @Test("unknown codes are not guessed")
    func unknown() {
        #expect(LanguageTag.bcp47("qqq") == nil)
        #expect(LanguageTag.bcp47("klingon") == nil)
    }

    @Test("languages are named in their own words")
    func names() {
        #expect(LanguageTag.nativeName("en") == "English")
        #expect(LanguageTag.nativeName("es") == "Español")
        #expect(LanguageTag.nativeName("de-AT") == "Deutsch")
        #expect(LanguageTag.nativeName("und") == nil)
    }
}

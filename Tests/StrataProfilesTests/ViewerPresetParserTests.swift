import Foundation
import StrataProfiles
import Testing

@Suite("Viewer preset parsing")
struct ViewerPresetParserTests {
    static let viewersFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Viewers")

    @Test("the shipped default preset loads with every control")
    func shippedDefault() throws {
        let library = ViewerLibrary(directory: Self.viewersFolder)
        #expect(library.names().contains("default"))
        let preset = try library.load(named: "default")
        #expect(preset.controls == ViewerPreset.Control.allCases)
        #expect(preset.accentColor == "#e0457b")
        #expect(preset.presentation == .hls && !preset.autoplay && preset.playbackSpeeds.contains(1))
    }

    @Test("an empty folder still has the built-in default, and nothing else")
    func builtInDefault() throws {
        let library = ViewerLibrary(directory: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"))
        #expect(try library.load(named: "default") == ViewerLibrary.builtInDefault)
        #expect(throws: ProfileError.self) { try library.load(named: "brand") }
    }

    @Test("every setting is read, YAML or JSON alike")
    func everySetting() throws {
        let yaml = """
            name: brand
            accent_color: "#0A8"
            logo: https://cdn.example.com/logo.svg
            controls: [fullscreen, play, seek]
            autoplay: true
            muted: true
            loop: true
            audio: {language: spa}
            captions: {enabled: true, language: fr}
            playback_speeds: [2, 1, 0.5]
            start_time: 12.5
            presentation: dash
            """
        let preset = try ViewerPresetParser.parse(yaml, source: "inline")
        #expect(preset.accentColor == "#0a8" && preset.logo == "https://cdn.example.com/logo.svg")
        #expect(preset.controls == [.play, .seek, .fullscreen], "controls keep the bar's order")
        #expect(preset.autoplay && preset.muted && preset.loop)
        #expect(preset.audioLanguage == "es" && preset.captionsEnabled && preset.captionsLanguage == "fr")
        #expect(preset.playbackSpeeds == [0.5, 1, 2] && preset.startTime == 12.5 && preset.presentation == .dash)
        let json = ##"{"name": "brand", "accent_color": "#112233", "controls": ["play"], "loop": false}"##
        let fromJSON = try ViewerPresetParser.parse(json, source: "inline")
        #expect(fromJSON.controls == [.play] && fromJSON.accentColor == "#112233")
    }

    @Test("bad presets name the line, key path and reason",
          arguments: [
              ("accent_color: red", 2, "accent_color", "is not a colour"),
              ("logo: javascript:alert(1)", 2, "logo", "not a usable logo URL"),
              ("logo: 'https://x.com/a\"onerror=b.svg'", 2, "logo", "not a usable logo URL"),
              ("controls: [play, volume, play]", 2, "controls[2]", "listed twice"),
              ("controls: [play, rewind]", 2, "controls[1]", "'rewind' is not supported"),
              ("autoplay: maybe", 2, "autoplay", "expected true or false"),
              ("autoplay: true", 2, "autoplay", "autoplay needs muted: true"),
              ("audio: {language: klingon}", 2, "audio.language", "not a language code"),
              ("captions: {enabeld: true}", 2, "captions.enabeld", "did you mean 'enabled'"),
              ("playback_speeds: [0.5, 2]", 2, "playback_speeds", "include 1"),
              ("playback_speeds: [1, 9]", 2, "playback_speeds[1]", "out of range"),
              ("start_time: -3", 2, "start_time", "out of range"),
              ("presentation: smooth", 2, "presentation", "use one of hls, dash"),
              ("colour: '#fff'", 2, "colour", "unknown key"),
          ])
    func badPresets(line: String, number: Int, keyPath: String, reason: String) throws {
        let error = #expect(throws: ProfileError.self) {
            try ViewerPresetParser.parse("name: brand\n\(line)\n", source: "Viewers/brand.yaml")
        }
        #expect(error?.source == "Viewers/brand.yaml")
        #expect(error?.line == number)
        #expect(error?.keyPath == keyPath)
        #expect(error?.reason.contains(reason) == true, "\(error?.description ?? "")")
    }

    @Test("names are names, never paths", arguments: ["../evil", "a/b", "..", ".hidden", "-x", "", "x y", "a\\b"])
    func names(name: String) throws {
        let error = #expect(throws: ProfileError.self) {
            try ViewerPresetParser.parse("name: '\(name)'\n", source: "inline")
        }
        #expect(error?.keyPath == "name")
    }

    @Test("broken YAML gives its line")
    func brokenYAML() throws {
        let error = #expect(throws: ProfileError.self) {
            try ViewerPresetParser.parse("name: brand\ncontrols: [play\n", source: "inline")
        }
        #expect(error?.reason.contains("not valid YAML or JSON") == true)
        #expect(error?.line != nil)
    }
}

import Foundation
import StrataProfiles
import Testing

@Suite("Profile parsing")
struct ProfileParserTests {
    static let profilesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Profiles")

    let minimal = """
        name: tiny
        renditions:
          - height: 360
            bitrate: 800k
        """

    @Test("the shipped profiles load and match the documented ladders")
    func shippedProfiles() throws {
        let library = ProfileLibrary(directory: Self.profilesFolder)
        #expect(library.names().contains("default"))
        #expect(library.names().contains("mobile"))
        let standard = try library.load(named: "default")
        #expect(standard.renditions.map(\.height) == [1080, 720, 540, 360])
        #expect(standard.renditions.map(\.bitrate) == [5_000_000, 2_800_000, 1_400_000, 800_000])
        #expect(standard.audio == AudioSpec(codec: .aac, bitrate: 128_000, channels: 2, sampleRate: 48_000))
        #expect(standard.segmentSeconds == 6 && standard.gopSeconds == 2 && standard.gopsPerSegment == 3)
        let mobile = try library.load(named: "mobile")
        #expect(mobile.renditions.count == 3)
        #expect(mobile.renditions.last?.profile == "baseline")
        #expect(mobile.renditions.first?.profile == "main", "profile-level video defaults apply to every rung")
    }

    @Test("defaults fill what a profile leaves out")
    func defaults() throws {
        let profile = try ProfileParser.parse(minimal, source: "inline")
        #expect(profile.segmentSeconds == 6 && profile.gopSeconds == 2)
        let rung = try #require(profile.renditions.first)
        #expect(rung.name == "360p")
        #expect(rung.maxrate == 880_000 && rung.bufsize == 1_600_000)
        #expect(rung.codec == .h264 && rung.preset == "fast" && rung.profile == "high")
    }

    @Test("a file's base name is the profile's name when it has none")
    func nameFromFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("phones.yml")
        try "renditions: [{height: 240, bitrate: 300k}]".write(to: file, atomically: true, encoding: .utf8)
        #expect(try ProfileLibrary(directory: folder).resolve("phones").name == "phones")
        #expect(try ProfileLibrary(directory: folder).resolve(file.path).name == "phones")
    }

    @Test("JSON profiles are read by the same strict rules")
    func json() throws {
        let profile = try ProfileParser.parse(#"{"name": "j", "gop_seconds": 1, "renditions": [{"height": 720, "bitrate": "2.8M"}]}"#, source: "j.json")
        #expect(profile.gopSeconds == 1 && profile.gopsPerSegment == 6)
        #expect(profile.renditions[0].bitrate == 2_800_000)
        #expect(throws: ProfileError.self) {
            try ProfileParser.parse(#"{"name": "j", "renditions": [{"height": 720, "bitrate": "2.8M", "crf": 20}]}"#, source: "j.json")
        }
    }

    @Test("audio.languages keeps the listed languages, as BCP 47")
    func languages() throws {
        let profile = try ProfileParser.parse("name: l\naudio: {languages: [eng, es, pt-BR]}\nrenditions: [{height: 360, bitrate: 1M}]", source: "l.yaml")
        #expect(profile.audio.languages == ["en", "es", "pt-BR"])
    }

    @Test("bit rates in k, M or plain bits per second")
    func bitRates() {
        #expect(BitRate.parse("5000k") == 5_000_000)
        #expect(BitRate.parse("2.8M") == 2_800_000)
        #expect(BitRate.parse("128000") == 128_000)
        #expect(BitRate.parse("fast") == nil)
        #expect(BitRate.parse("-5k") == nil)
        #expect(BitRate.format(2_800_000) == "2800k")
        #expect(BitRate.format(5_000_000) == "5M")
    }
}

@Suite("Profile errors name the file, line, key path and reason")
struct ProfileErrorTests {
    func error(_ text: String) -> ProfileError? {
        do {
            _ = try ProfileParser.parse(text, source: "Profiles/bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    /// Expects `text` (parsed as `Profiles/bad.yaml`) to be refused at `line` and `keyPath` for `reason`.
    func expectRefused(_ text: String, keyPath: String, line: Int, reason: String) {
        guard let error = error(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.keyPath == keyPath)
        #expect(error.line == line)
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.description.hasPrefix("Profiles/bad.yaml:\(line): \(keyPath): "))
    }

    @Test("an unknown key in a rendition is rejected with a suggestion")
    func unknownRenditionKey() throws {
        let problem = try #require(error("""
            name: bad
            renditions:
              - height: 720
                bitrate: 2800k
              - height: 360
                bitrat: 800k
            """))
        #expect(problem.keyPath == "renditions[1].bitrat")
        #expect(problem.line == 6)
        #expect(problem.reason.contains("unknown key"))
        #expect(problem.reason.contains("did you mean 'bitrate'"))
        #expect(problem.description.hasPrefix("Profiles/bad.yaml:6: renditions[1].bitrat: unknown key"))
    }

    @Test("an unknown top-level key is rejected")
    func unknownTopKey() throws {
        let problem = try #require(error("name: bad\nsegment_length: 6\nrenditions: [{height: 360, bitrate: 1M}]"))
        #expect(problem.keyPath == "segment_length")
        #expect(problem.reason.contains("segment_seconds"))
    }

    @Test("wrong types say what was expected and what was found", arguments: [
        ("name: x\nrenditions: 5", "renditions", "expected a list"),
        ("name: x\nrenditions: [{height: tall, bitrate: 1M}]", "renditions[0].height", "expected a whole number"),
        ("name: x\nrenditions: [{height: 360, bitrate: fast}]", "renditions[0].bitrate", "expected a bit rate"),
        ("name: x\naudio: 128k\nrenditions: [{height: 360, bitrate: 1M}]", "audio", "expected a mapping"),
        ("name: x\ngop_seconds: two\nrenditions: [{height: 360, bitrate: 1M}]", "gop_seconds", "expected a number"),
        ("name: [a, b]\nrenditions: [{height: 360, bitrate: 1M}]", "name", "expected text"),
    ])
    func wrongTypes(text: String, keyPath: String, reason: String) throws {
        let problem = try #require(error(text))
        #expect(problem.keyPath == keyPath)
        #expect(problem.reason.contains(reason), "\(problem)")
    }

    @Test("impossible values are rejected with the allowed range or choices", arguments: [
        ("name: x\nrenditions: []", "renditions", "at least one rendition"),
        ("name: x\nrenditions: [{height: 0, bitrate: 1M}]", "renditions[0].height", "out of range"),
        ("name: x\nrenditions: [{height: 360, bitrate: 1M, maxrate: 500k}]", "renditions[0].maxrate", "must not be below bitrate"),
        ("name: x\nsegment_seconds: 5\nrenditions: [{height: 360, bitrate: 1M}]", "segment_seconds", "whole multiple"),
        ("name: x\nsegment_seconds: 6\ngop_seconds: 4\nrenditions: [{height: 360, bitrate: 1M}]", "gop_seconds", "whole multiple"),
        ("name: x\nvideo: {preset: warp}\nrenditions: [{height: 360, bitrate: 1M}]", "video.preset", "not supported"),
        ("name: x\nrenditions: [{height: 360, bitrate: 1M, codec: vp8}]", "renditions[0].codec", "use one of h264"),
        ("name: x\naudio: {channels: 7}\nrenditions: [{height: 360, bitrate: 1M}]", "audio.channels", "not supported"),
        ("name: x\nrenditions: [{height: 360, bitrate: 1M}, {name: 360p, height: 240, bitrate: 500k}]", "renditions[1]", "used twice"),
        ("name: ../etc\nrenditions: [{height: 360, bitrate: 1M}]", "name", "not a usable name"),
        ("name: x\nrenditions: [{name: a/b, height: 360, bitrate: 1M}]", "renditions[0].name", "not a usable name"),
        ("name: x\naudio: {languages: [en, klingon]}\nrenditions: [{height: 360, bitrate: 1M}]", "audio.languages[1]", "not a language code"),
        ("name: x\naudio: {languages: []}\nrenditions: [{height: 360, bitrate: 1M}]", "audio.languages", "at least one language"),
    ])
    func impossibleValues(text: String, keyPath: String, reason: String) throws {
        let problem = try #require(error(text))
        #expect(problem.keyPath == keyPath)
        #expect(problem.reason.contains(reason), "\(problem)")
    }

    @Test("broken YAML reports the line")
    func syntax() throws {
        let problem = try #require(error("name: x\nrenditions:\n  - height: 360\n   bitrate: [1M\n"))
        #expect(problem.reason.contains("not valid YAML"))
        #expect(problem.line != nil)
    }

    @Test("an empty document and a missing file are errors, not crashes")
    func emptyAndMissing() throws {
        #expect(error("")?.reason.contains("empty") == true)
        #expect(throws: ProfileError.self) { try ProfileParser.load(contentsOf: "/nonexistent/profile.yaml") }
        let missing = ProfileLibrary(directory: ProfileParserTests.profilesFolder)
        #expect(throws: ProfileError.self) { try missing.load(named: "no-such-profile") }
    }
}

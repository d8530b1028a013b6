import Foundation
import StrataProfiles
import Testing

@Suite("Profile smart-crop settings")
struct CropProfileTests {
    let ladder = "renditions: [{height: 360, bitrate: 1M}]"

    @Test("the shipped social profile is the default ladder plus a 9:16 vertical and a 1:1 square crop")
    func shipped() throws {
        let library = ProfileLibrary(directory: ProfileParserTests.profilesFolder)
        let social = try library.load(named: "social")
        let standard = try library.load(named: "default")
        #expect(social.renditions == standard.renditions)
        #expect(social.crops?.map(\.name) == ["vertical", "square"])
        #expect(social.crops?.map(\.aspect) == ["9:16", "1:1"])
        #expect(standard.crops == nil)
    }

    @Test("crops read name, aspect (reduced to lowest terms) and optional heights, largest first")
    func reads() throws {
        let profile = try ProfileParser.parse("""
            name: t
            crops:
              - {name: vertical, aspect: "18:32", heights: [360, 720]}
              - name: portrait
                aspect: 4:5
            \(ladder)
            """, source: "t.yaml")
        #expect(profile.crops == [CropSpec(name: "vertical", aspectWidth: 9, aspectHeight: 16, heights: [720, 360]),
                                  CropSpec(name: "portrait", aspectWidth: 4, aspectHeight: 5, heights: nil)])
    }

    @Test("bad crops name the file, line, key path and reason; a crop name is a name, never a path", arguments: [
        ("crops:\n  - {name: ../up, aspect: \"9:16\"}\n", "crops[0].name", 3, "not a usable name"),
        ("crops:\n  - {name: a/b, aspect: \"9:16\"}\n", "crops[0].name", 3, "not a usable name"),
        ("crops:\n  - {aspect: \"9:16\"}\n", "crops[0]", 3, "missing required key 'name'"),
        ("crops:\n  - {name: v, aspect: tall}\n", "crops[0].aspect", 3, "not an aspect ratio"),
        ("crops:\n  - {name: v, aspect: \"0:16\"}\n", "crops[0].aspect", 3, "not an aspect ratio"),
        ("crops:\n  - {name: v, aspect: \"1:9\"}\n", "crops[0].aspect", 3, "too extreme"),
        ("crops:\n  - {name: v, aspect: \"9:16\", heights: [720, 720]}\n", "crops[0].heights[1]", 3, "listed twice"),
        ("crops:\n  - {name: v, aspect: \"9:16\", heights: [10]}\n", "crops[0].heights[0]", 3, "out of range"),
        ("crops:\n  - {name: v, aspect: \"9:16\", heights: []}\n", "crops[0].heights", 3, "list 1 to 8 heights"),
        ("crops:\n  - {name: v, aspect: \"9:16\", zoom: 2}\n", "crops[0].zoom", 3, "unknown key"),
        ("crops:\n  - {name: v, aspect: \"9:16\"}\n  - {name: v, aspect: \"1:1\"}\n", "crops[1].name", 4, "used twice"),
        ("crops: {name: v}\n", "crops", 2, "expected a list"),
    ])
    func errors(text: String, keyPath: String, line: Int, reason: String) {
        ProfileErrorTests().expectRefused("name: x\n" + text + ladder, keyPath: keyPath, line: line, reason: reason)
    }
}

import Foundation
import StrataProfiles
import Testing

@Suite("profile names are names, never paths")
struct ProfileNameTests {
    @Test("plain names pass; anything path-like, empty, long or odd is refused")
    func names() {
        for name in ["default", "mobile", "my-profile_2", "A", String(repeating: "a", count: 64)] {
            #expect(ProfileName.isValid(name), "\(name)")
        }
        for name in ["", ".", "..", "../outside/evil", "a/b", "/etc/passwd", "default.yaml", "-rf", "a b", "ünï", "a\\b",
                     String(repeating: "a", count: 65), "a\u{0}b"] {
            #expect(!ProfileName.isValid(name), "\(name)")
        }
    }

    @Test("the library never reads a file outside its folder, whatever the name")
    func library() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-names-\(UUID().uuidString.prefix(6))")
        let folder = root.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "renditions:\n  - height: 360\n    bitrate: 600k\n".write(to: root.appendingPathComponent("evil.yaml"), atomically: true, encoding: .utf8)
        try "renditions:\n  - height: 360\n    bitrate: 600k\n".write(to: folder.appendingPathComponent("ok.yaml"), atomically: true, encoding: .utf8)
        let library = ProfileLibrary(directory: folder)
        #expect(library.file(named: "../evil") == nil)
        #expect(throws: ProfileError.self) { try library.load(named: "../evil") }
        #expect(try library.load(named: "ok").renditions.count == 1)
        #expect(library.names() == ["ok"])
    }
}

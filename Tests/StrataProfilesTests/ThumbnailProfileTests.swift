import StrataProfiles
import Testing

@Suite("Profile thumbnails settings")
struct ThumbnailProfileTests {
    let ladder = "renditions: [{height: 360, bitrate: 1M}]"

    @Test("a profile without the key gets a poster and a 2-second storyboard of 160-pixel tiles")
    func defaults() throws {
        let profile = try ProfileParser.parse("name: t\n\(ladder)", source: "t.yaml")
        #expect(profile.thumbnails == ThumbnailSpec(poster: true, posterSeconds: nil, storyboard: true, intervalSeconds: 2, tileWidth: 160))
    }

    @Test("every setting can be tuned, and both can be switched off")
    func tuned() throws {
        let text = "name: t\nthumbnails: {poster: true, poster_seconds: 5, storyboard: yes, interval_seconds: 4.5, tile_width: 240}\n\(ladder)"
        let profile = try ProfileParser.parse(text, source: "t.yaml")
        #expect(profile.thumbnails == ThumbnailSpec(poster: true, posterSeconds: 5, storyboard: true, intervalSeconds: 4.5, tileWidth: 240))
        let off = try ProfileParser.parse("name: t\nthumbnails: false\n\(ladder)", source: "t.yaml")
        #expect(off.thumbnails == .off)
        let posterOnly = try ProfileParser.parse("name: t\nthumbnails: {storyboard: off}\n\(ladder)", source: "t.yaml")
        #expect(posterOnly.thumbnails?.poster == true && posterOnly.thumbnails?.storyboard == false)
    }

    @Test("bad thumbnails settings name the file, line, key path and reason", arguments: [
        ("name: x\nthumbnails:\n  tile_widht: 160\n", "thumbnails.tile_widht", 3, "did you mean 'tile_width'"),
        ("name: x\nthumbnails: {poster: maybe}\n", "thumbnails.poster", 2, "expected true or false"),
        ("name: x\nthumbnails: {interval_seconds: 0.1}\n", "thumbnails.interval_seconds", 2, "out of range"),
        ("name: x\nthumbnails: {tile_width: 161}\n", "thumbnails.tile_width", 2, "odd"),
        ("name: x\nthumbnails: {tile_width: 4000}\n", "thumbnails.tile_width", 2, "out of range"),
        ("name: x\nthumbnails: {poster_seconds: -1}\n", "thumbnails.poster_seconds", 2, "out of range"),
        ("name: x\nthumbnails: [poster]\n", "thumbnails", 2, "expected a mapping"),
        ("name: x\nthumbnails: sometimes\n", "thumbnails", 2, "expected true or false"),
    ])
    func errors(text: String, keyPath: String, line: Int, reason: String) {
        ProfileErrorTests().expectRefused(text + ladder, keyPath: keyPath, line: line, reason: reason)
    }
}

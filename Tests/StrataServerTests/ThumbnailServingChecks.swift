import Foundation
import Testing
import TestSupport

/// Checks that the asset API lists the poster and storyboard by their `/stream` URLs, that players get
/// them as JPEG and WebVTT with a long cache lifetime, and that re-packaging kept the poster's bytes.
func checkThumbnails(server: ServerProcess, asset: [String: Any], posterBefore: HTTPResponse) throws {
    let id = try #require(asset["id"] as? String)
    let thumbnails = try #require(asset["thumbnails"] as? [String: String], "the asset lists its thumbnails: \(asset)")
    #expect(thumbnails["poster"] == server.url("/stream/\(id)/poster.jpg"))
    #expect(thumbnails["storyboard"] == server.url("/stream/\(id)/storyboard.vtt"))

    let poster = try HTTP.request(try #require(thumbnails["poster"]))
    #expect(poster.status == 200 && poster.header("content-type") == "image/jpeg")
    #expect(poster.header("cache-control")?.contains("max-age=31536000") == true)
    #expect(poster.body.starts(with: [0xFF, 0xD8, 0xFF]), "a JPEG starts with SOI")
    #expect(posterBefore.status == 200 && poster.body == posterBefore.body, "adding a track keeps the poster")

    let storyboard = try HTTP.request(try #require(thumbnails["storyboard"]))
    #expect(storyboard.status == 200 && storyboard.header("content-type")?.hasPrefix("text/vtt") == true)
    #expect(storyboard.text.hasPrefix("WEBVTT"))
    let sheet = try HTTP.request(server.url("/stream/\(id)/storyboard-1.jpg"))
    #expect(sheet.status == 200 && sheet.header("content-type") == "image/jpeg")
    #expect(storyboard.text.contains("storyboard-1.jpg#xywh=0,0,"))
    // Only names in the package are served: a JPEG elsewhere is no way out of it.
    #expect(try HTTP.request(server.url("/stream/\(id)/..%2Fposter.jpg")).status == 400)
}

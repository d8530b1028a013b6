import Foundation
@testable import StrataServer
import Testing
import TestSupport

@Suite("Package paths and HTTP headers")
struct PlaybackUnitTests {
    @Test("package paths resolve inside the package or are refused")
    func paths() throws {
        let package = try makeTemporaryDirectory("paths").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: package) }
        try FileManager.default.createDirectory(at: package.appendingPathComponent("video/720p"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: package.appendingPathComponent("video/720p/seg-1.m4s"))
        try Data("x".utf8).write(to: package.appendingPathComponent("package.json"))
        func resolve(_ path: String) -> Result<URL, PackagePath.Refusal> {
            PackagePath.resolve(path.split(separator: "/", omittingEmptySubsequences: false), in: package)
        }
        #expect(try resolve("video/720p/seg-1.m4s").get().lastPathComponent == "seg-1.m4s")
        #expect(try resolve("video/720p/seg%2D1.m4s").get().lastPathComponent == "seg-1.m4s", "ordinary escapes decode")
        try Data("x".utf8).write(to: package.appendingPathComponent("poster.jpg"))
        #expect(try resolve("poster.jpg").get().lastPathComponent == "poster.jpg", "thumbnails are served")
        for path in ["../x.m3u8", "video/../../x.m3u8", "%2e%2e/x.m3u8", "video%2f720p/seg-1.m4s", "video/720p/..%5cx.m4s", "", "video//seg-1.m4s", "./x.m3u8"] {
            guard case .failure(.malformed) = resolve(path) else {
                Issue.record("'\(path)' was not refused as malformed")
                continue
            }
        }
        for path in ["package.json", "video/720p/seg-2.m4s", "video/720p", ".hidden/x.m3u8", "video/720p/seg-1.exe"] {
            #expect(resolve(path) == .failure(.notFound), "\(path)")
        }
    }

    @Test("Range headers", arguments: [
        ("bytes=0-9", ByteRangeRequest.range(0...9)), ("bytes=90-", .range(90...99)), ("bytes=-10", .range(90...99)),
        ("bytes=95-200", .range(95...99)), ("bytes=100-", .unsatisfiable), ("bytes=-0", .unsatisfiable),
        ("bytes=0-1,4-5", .whole), ("items=0-9", .whole), ("bytes=9-2", .whole), ("bytes=x-y", .whole),
    ])
    func ranges(header: String, expected: ByteRangeRequest) {
        #expect(ByteRangeRequest(header: header, size: 100) == expected)
    }

    @Test("Accept-Encoding and If-None-Match")
    func negotiation() {
        #expect(PlaybackHeaders.acceptsGzip("gzip, deflate, br"))
        #expect(PlaybackHeaders.acceptsGzip("br;q=1.0, gzip;q=0.8"))
        #expect(!PlaybackHeaders.acceptsGzip("gzip;q=0"))
        #expect(!PlaybackHeaders.acceptsGzip("identity"))
        #expect(!PlaybackHeaders.acceptsGzip(nil))
        #expect(PlaybackHeaders.ifNoneMatch("\"a\", W/\"b\"", matches: "\"b\""))
        #expect(PlaybackHeaders.ifNoneMatch("*", matches: "\"c\""))
        #expect(!PlaybackHeaders.ifNoneMatch("\"a\"", matches: "\"b\""))
        // A "prepend" character (U+0600) and the comma after it are one grapheme cluster; the list still splits
        // there (found by the http-headers fuzz target).
        #expect(PlaybackHeaders.ifNoneMatch("\u{600}, \"b\"", matches: "\"b\""))
        #expect(FieldList.trimmedElements(" a\u{600},\tb ,") == ["a\u{600}", "b"])
        #expect(PackageFileResponder.contentType("audio/en/seg-1.m4s") == "audio/mp4")
        #expect(PackageFileResponder.contentType("video/720p/init.mp4") == "video/mp4")
        #expect(PackageFileResponder.contentType("poster.jpg") == "image/jpeg")
        #expect(PackageFileResponder.contentType("storyboard.vtt") == "text/vtt; charset=utf-8")
    }
}

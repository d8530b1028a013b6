@testable import StrataServer
import Testing

@Suite("request logging")
struct RequestLogTests {
    @Test("a signed playback path is logged without its token; other paths as they are")
    func tokensAreBlanked() {
        let token = "1767225600.i.\(String(repeating: "ab", count: 32))"
        #expect(LoggedPath.redacted("/stream/a1/t/\(token)/video/720p/seg-1.m4s") == "/stream/a1/t/<token>/video/720p/seg-1.m4s")
        #expect(LoggedPath.redacted("/watch/a1/t/\(token)/master.m3u8") == "/watch/a1/t/<token>/master.m3u8")
        for path in ["/stream/a1/video/720p/seg-1.m4s", "/stream/a1/t", "/v1/assets/a1/t/x", "/", ""] {
            #expect(LoggedPath.redacted(path) == path)
        }
    }
}

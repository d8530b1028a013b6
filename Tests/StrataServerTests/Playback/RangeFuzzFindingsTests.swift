@testable import StrataServer
import Testing

/// What `scripts/fuzz http-headers` found (issue 17); the minimised inputs are also in Fuzz/Regressions/http-headers.
@Suite("Range fuzzing findings")
struct RangeFuzzFindingsTests {
    @Test("a malformed Range is ignored (RFC 9110 §14.1.1), neither served nor answered 416", arguments: [
        "bytes=-+9",  // range-plus-sign: a signed suffix length was read as a number
        "bytes=0-+9", "bytes=+0-9",
        "bytes=3729424098846048246-00",  // range-last-before-first: answered 416 instead of being ignored
        "bytes=200-100",
    ])
    func malformed(header: String) {
        #expect(ByteRangeRequest(header: header, size: 100) == .whole)
    }

    @Test("a last position past any file size means to the end")
    func hugeLastPosition() {
        #expect(ByteRangeRequest(header: "bytes=5-99999999999999999999", size: 100) == .range(5...99))
    }
}

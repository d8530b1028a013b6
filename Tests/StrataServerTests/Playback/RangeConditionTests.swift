import Foundation
@testable import StrataServer
import Testing

@Suite("If-Range decisions and HTTP dates")
struct RangeConditionTests {
    let tag = "\"1f4-17a\""
    let modified = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)

    @Test("HTTP dates are IMF-fixdate")
    func dates() {
        #expect(HTTPDate.string(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.string(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test("a Range applies without If-Range, with the same strong tag, or with exactly Last-Modified when it is strong")
    func decisions() {
        #expect(RangeCondition.allowsRange(ifRange: nil, entityTag: tag, lastModified: modified))
        #expect(RangeCondition.allowsRange(ifRange: tag, entityTag: tag, lastModified: modified))
        #expect(RangeCondition.allowsRange(ifRange: " \(tag) ", entityTag: tag, lastModified: modified))
        #expect(RangeCondition.allowsRange(ifRange: "Sun, 06 Nov 1994 08:49:37 GMT", entityTag: tag, lastModified: modified))
        for refused in ["\"other\"", "W/\(tag)", "Sun, 06 Nov 1994 08:49:36 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "", "*"] {
            #expect(!RangeCondition.allowsRange(ifRange: refused, entityTag: tag, lastModified: modified), "\(refused)")
        }
        // Modified within the last second: the date is weak (RFC 9110 §8.8.2.2), so never a match.
        #expect(!RangeCondition.allowsRange(ifRange: "Sun, 06 Nov 1994 08:49:37 GMT", entityTag: tag, lastModified: modified,
                                            now: modified.addingTimeInterval(0.5)))
    }

    @Test("the default connection cap keeps a reserve of descriptors")
    func connectionCap() {
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 1024) == 1024 - ConnectionLimits.reservedDescriptors)
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 1_048_576) == 4096)
        #expect(ConnectionLimits.defaultMaxConnections(descriptorLimit: 100) == 16)
    }
}

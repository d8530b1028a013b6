@testable import StrataMedia
import Testing

@Suite("Fragment layout")
struct FragmentLayoutTests {
    func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let size = UInt32(8 + payload.count)
        return withUnsafeBytes(of: size.bigEndian, Array.init) + Array(type.utf8) + payload
    }

    func uint32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    @Test("the first sample's size comes from trun; the range spans moof, mdat header and that sample")
    func trunSize() throws {
        // trun v0, flags data-offset | first-sample-flags | duration | size; two samples.
        let trun = box("trun", [0, 0, 0x03, 0x05] + uint32(2) + uint32(100) + uint32(0x0200_0000)
                       + uint32(512) + uint32(3000) + uint32(512) + uint32(400))
        let tfhd = box("tfhd", [0, 0x02, 0, 0] + uint32(1))
        let moof = box("moof", box("mfhd", [0, 0, 0, 0] + uint32(1)) + box("traf", tfhd + trun))
        let mdat = box("mdat", Array(repeating: 0, count: 3400))
        let layout = try #require(FragmentLayout(moof + mdat))
        #expect(layout.firstSampleSize == 3000)
        #expect(layout.moofSize == moof.count && layout.mdatSize == mdat.count && layout.mdatHeaderSize == 8)
        #expect(layout.firstSampleRangeLength == moof.count + 8 + 3000)
    }

    @Test("without sizes in trun, tfhd's default sample size applies")
    func defaultSize() throws {
        let trun = box("trun", [0, 0, 0, 0x01] + uint32(1) + uint32(60))
        let tfhd = box("tfhd", [0, 0x02, 0, 0x10] + uint32(1) + uint32(777))
        let moof = box("moof", box("traf", tfhd + trun))
        let layout = try #require(FragmentLayout(moof + box("mdat", Array(repeating: 0, count: 777))))
        #expect(layout.firstSampleSize == 777)
    }

    @Test("bytes that are not a fragment are refused")
    func garbage() {
        #expect(FragmentLayout(Array("not a fragment at all".utf8)) == nil)
        #expect(FragmentLayout(box("mdat", [1, 2, 3])) == nil)
    }
}

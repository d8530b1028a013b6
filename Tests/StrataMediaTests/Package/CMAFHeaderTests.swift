@testable import StrataMedia
import Testing

@Suite("CMAF header and fragment header edits")
struct CMAFHeaderTests {
    func box(_ type: String, _ payload: [UInt8]) -> [UInt8] { Box.make(type, payload) }
    func uint32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    @Test("the init segment gains the cmfc brand and an ES_ID of 0; nothing else changes")
    func header() throws {
        let ftyp = box("ftyp", Array("iso5".utf8) + uint32(512) + Array("iso5iso6mp41".utf8))
        // esds: version/flags, ES_Descriptor tag 3 with a 4-byte size, ES_ID 1, flags, then the rest.
        let esds = box("esds", [0, 0, 0, 0, 0x03, 0x80, 0x80, 0x80, 0x05, 0x00, 0x01, 0x00, 0x04, 0x00])
        let mp4a = box("mp4a", Array(repeating: 0, count: 28) + esds)
        let stsd = box("stsd", [0, 0, 0, 0] + uint32(1) + mp4a)
        let moov = box("moov", box("trak", box("mdia", box("minf", box("stbl", stsd)))))
        let result = try CMAFHeader.conform(ftyp + moov)
        let newFtyp = try #require(Box(result, at: 0))
        #expect(Array(result[0..<newFtyp.size]) == box("ftyp", Array("iso5".utf8) + uint32(512) + Array("iso5iso6mp41cmfc".utf8)))
        var expectedMoov = moov
        let esID = moov.count - esds.count + 8 + 4 + 5  // box header, version/flags, tag and size
        expectedMoov[esID + 1] = 0
        #expect(Array(result[newFtyp.size...]) == expectedMoov)
        #expect(try CMAFHeader.conform(result) == result, "idempotent")
        #expect(throws: TranscodeError.self) { try CMAFHeader.conform(moov) }
    }

    @Test("tfhd gains sample_description_index; sizes and the trun data offset follow, the layout still reads")
    func fragment() throws {
        let trun = { (offset: UInt32) in self.box("trun", [0, 0, 0x02, 0x01] + self.uint32(1) + self.uint32(offset) + self.uint32(300)) }
        let tfhd = box("tfhd", [0, 0x02, 0, 0x08] + uint32(1) + uint32(512))  // default-base-is-moof, default duration
        let mfhd = box("mfhd", [0, 0, 0, 0] + uint32(1))
        let before = box("moof", mfhd + box("traf", tfhd + trun(UInt32(8 + mfhd.count + 8 + tfhd.count + 24 + 8))))
        let mdat = box("mdat", Array(repeating: 7, count: 300))
        let result = try FragmentHeader.namingSampleEntry(before + mdat)
        let expectedTfhd = box("tfhd", [0, 0x02, 0, 0x0A] + uint32(1) + uint32(1) + uint32(512))
        let after = box("moof", mfhd + box("traf", expectedTfhd + trun(UInt32(before.count + 4 + 8))))
        #expect(result == after + mdat)
        let layout = try #require(FragmentLayout(result))
        #expect(layout.moofSize == before.count + 4 && layout.firstSampleSize == 300)
        #expect(try FragmentHeader.namingSampleEntry(result) == result, "a tfhd that has the index is left alone")
    }
}

@testable import StrataMedia
import Testing

@Suite("RFC 6381 codec strings")
struct CodecStringTests {
    @Test("avc1 from an Annex B SPS: profile, constraint flags and level")
    func annexB() {
        // 4-byte start code, SPS (type 7) High@4.0; 3-byte start code, PPS (type 8).
        let extradata: [UInt8] = [0, 0, 0, 1, 0x67, 0x64, 0x00, 0x28, 0xAC, 0, 0, 1, 0x68, 0xEE, 0x3C, 0x80]
        #expect(CodecString.h264(extradata: extradata) == "avc1.640028")
    }

    @Test("avc1 from an avcC record")
    func avcC() {
        #expect(CodecString.h264(extradata: [1, 0x4D, 0x40, 0x1E, 0xFF, 0xE1]) == "avc1.4d401e")
    }

    @Test("no SPS, no codec string")
    func missing() {
        #expect(CodecString.h264(extradata: [0, 0, 1, 0x68, 0xEE]) == nil)
        #expect(CodecString.h264(extradata: []) == nil)
    }

    @Test("mp4a object type from the AudioSpecificConfig")
    func aac() {
        #expect(CodecString.aac(extradata: [0x11, 0x90]) == "mp4a.40.2")  // AAC-LC, 48 kHz, stereo
        #expect(CodecString.aac(extradata: [0x2B, 0x92]) == "mp4a.40.5")  // HE-AAC (SBR)
        #expect(CodecString.aac(extradata: []) == nil)
    }
}

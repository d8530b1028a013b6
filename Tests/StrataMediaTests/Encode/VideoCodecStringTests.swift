@testable import StrataMedia
import StrataProfiles
import Testing

/// Header bytes taken from real encodes by Debian's libx265 3.5 and SVT-AV1 1.4 (320×180, 25 fps).
@Suite("HEVC and AV1 codec strings")
struct VideoCodecStringTests {
    /// libx265 VPS, SPS, PPS (Annex B) for Main, level 2 (level_idc 60), with emulation prevention bytes.
    static let x265Headers: [UInt8] = [
        0x00, 0x00, 0x00, 0x01, 0x40, 0x01, 0x0c, 0x01, 0xff, 0xff, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00,
        0x03, 0x00, 0x00, 0x03, 0x00, 0x3c, 0x95, 0x94, 0x09, 0x00, 0x00, 0x00, 0x01, 0x42, 0x01, 0x01, 0x01, 0x60, 0x00,
        0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x3c, 0xa0, 0x0a, 0x08, 0x0c, 0x1f, 0x3e, 0x59,
        0x59, 0x52, 0x93, 0x0b, 0xc0, 0x5a, 0x52, 0x08, 0x00, 0x00, 0x03, 0x00, 0x08, 0x00, 0x00, 0x03, 0x00, 0xc8, 0x40,
        0x00, 0x00, 0x00, 0x01, 0x44, 0x01, 0xc0, 0x73, 0xc1, 0x89,
    ]
    /// The start of the hvcC FFmpeg's mp4 muxer wrote for x265 at level-idc 4.1 (level_idc 123).
    static let hvcC: [UInt8] = [0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b, 0xf0, 0x00, 0xfc]
    /// SVT-AV1's sequence header OBU (with obu_size) for Main, seq_level_idx 13 (level 5.1), 8-bit 4:2:0.
    static let svtSequenceHeader: [UInt8] = [0x0a, 0x0b, 0x00, 0x00, 0x00, 0x6a, 0x1e, 0x7f, 0x66, 0x01, 0x7c, 0x00, 0x20]

    @Test("hvc1 from libx265's Annex B SPS, emulation prevention removed (ISO/IEC 14496-15 E.3)")
    func hevcAnnexB() {
        #expect(CodecString.hevc(extradata: Self.x265Headers) == "hvc1.1.6.L60.90")
        #expect(CodecString.video(.hevc, extradata: Self.x265Headers) == "hvc1.1.6.L60.90")
    }

    @Test("hvc1 from an hvcC record; high tier and profile space are read")
    func hevcRecord() {
        #expect(CodecString.hevc(extradata: Self.hvcC) == "hvc1.1.6.L123.90")
        var highTier = Self.hvcC
        highTier[1] = 0x22  // tier 1, Main 10
        highTier[2] = 0x20  // compatibility flag 2 only
        #expect(CodecString.hevc(extradata: highTier) == "hvc1.2.4.H123.90")
    }

    @Test("no SPS, no hvc1 string")
    func hevcMissing() {
        #expect(CodecString.hevc(extradata: Array(Self.x265Headers[0..<31])) == nil)
        #expect(CodecString.hevc(extradata: []) == nil)
    }

    @Test("av01 from SVT-AV1's sequence header OBU and from the av1C record around it")
    func av1() {
        #expect(CodecString.av1(extradata: Self.svtSequenceHeader) == "av01.0.13M.08")
        #expect(CodecString.av1(extradata: [0x81, 0x0d, 0x0c, 0x00] + Self.svtSequenceHeader) == "av01.0.13M.08")
        #expect(CodecString.av1(extradata: [0x81, 0x08, 0x4c, 0x00]) == "av01.0.08M.10")  // level 4.0, 10-bit
        #expect(CodecString.video(.av1, extradata: Self.svtSequenceHeader) == "av01.0.13M.08")
    }

    @Test("a truncated or foreign OBU gives no av01 string")
    func av1Missing() {
        #expect(CodecString.av1(extradata: Array(Self.svtSequenceHeader[0..<6])) == nil)
        #expect(CodecString.av1(extradata: [0x12, 0x00]) == nil)  // a temporal delimiter only
        #expect(CodecString.av1(extradata: []) == nil)
    }

    @Test("the AV1 level is the smallest whose picture size, display rate and bit rate fit (annex A.3)")
    func av1Levels() {
        #expect(AV1Level.smallest(width: 320, height: 180, frameRate: 25, maxBitRate: 500_000) == "2.0")
        #expect(AV1Level.smallest(width: 1280, height: 720, frameRate: 30, maxBitRate: 1_650_000) == "3.1")
        #expect(AV1Level.smallest(width: 1920, height: 1080, frameRate: 30, maxBitRate: 3_080_000) == "4.0")
        #expect(AV1Level.smallest(width: 1920, height: 1080, frameRate: 60, maxBitRate: 3_080_000) == "4.1")
        #expect(AV1Level.smallest(width: 640, height: 360, frameRate: 30, maxBitRate: 8_000_000) == "3.1")
    }

    @Test("per-codec encoder options keep GOPs closed and parameter sets out of band")
    func options() {
        let hevc = VideoCodecOptions(spec: RenditionSpec(name: "h", height: 720, bitrate: 1_000_000, codec: .hevc, preset: "veryfast",
                                                         profile: "main", level: "4.1", tier: "high"),
                                     keyframeInterval: 50, width: 1280, height: 720, frameRate: 25)
        #expect(hevc.encoderName == "libx265" && hevc.options["forced-idr"] == "1")
        #expect(hevc.options["x265-params"] == "keyint=50:min-keyint=50:scenecut=0:open-gop=0:repeat-headers=0:log-level=error:level-idc=4.1:high-tier=1")
        let av1 = VideoCodecOptions(spec: RenditionSpec(name: "a", height: 720, bitrate: 1_500_000, codec: .av1, preset: "10", profile: "main"),
                                    keyframeInterval: 50, width: 1280, height: 720, frameRate: 25)
        #expect(av1.encoderName == "libsvtav1" && av1.options["level"] == "31" && av1.options["preset"] == "10")
    }
}

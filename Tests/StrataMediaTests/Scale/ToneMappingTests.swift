@testable import StrataMedia
import Testing

@Suite("Tone mapping: which masters, and the zscale/tonemap chain spelled for them")
struct ToneMappingTests {
    @Test("PQ and HLG are HDR by their transfer tag; anything else is SDR and records nothing")
    func ranges() {
        #expect(DynamicRange(transferName: "smpte2084") == .pq && DynamicRange(transferName: "arib-std-b67") == .hlg)
        for name in ["bt709", "smpte170m", "bt2020-10", nil] as [String?] { #expect(DynamicRange(transferName: name) == .sdr) }
        #expect(DynamicRange.sdr.facts == nil)
        #expect(DynamicRange.hlg.facts?.master == "HLG" && DynamicRange.pq.facts?.renditions == "SDR")
    }

    @Test("the input is spelled out from the master's tags; missing or unknown ones read as BT.2020 limited range")
    func chain() {
        let tagged = ToneMapping.chain(from: ["transfer": "arib-std-b67", "primaries": "bt2020", "matrix": "bt2020nc", "range": "pc"])
        #expect(tagged.hasPrefix("zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=pc:t=linear:npl=100,"))
        #expect(tagged.hasSuffix("tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p"))
        let untagged = ToneMapping.chain(from: ["transfer": "smpte2084", "matrix": "reserved"])
        #expect(untagged.hasPrefix("zscale=tin=smpte2084:pin=bt2020:min=bt2020nc:rin=tv:"), "\(untagged)")
        let p3 = ToneMapping.chain(from: ["transfer": "smpte2084", "primaries": "smpte432"])
        #expect(p3.contains("pin=smpte432"))
        #expect(ToneMapping.chain(from: ["transfer": "smpte2084", "matrix": "ictcp"]).contains("min=ictcp"))
    }
}

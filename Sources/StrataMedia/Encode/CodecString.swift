import StrataProfiles

/// RFC 6381 codec strings (`CODECS`, `@codecs`) read from an encoder's own header bytes.
enum CodecString {
    /// The codec string of a `codec` rung from its encoder's header bytes.
    static func video(_ codec: VideoCodec, extradata: [UInt8]) -> String? {
        switch codec {
        case .h264: h264(extradata: extradata)
        case .hevc: hevc(extradata: extradata)
        case .av1: av1(extradata: extradata)
        }
    }

    /// `avc1.PPCCLL` from the H.264 sequence parameter set: profile_idc, constraint flags, level_idc.
    /// Accepts Annex B extradata (start codes) or an `avcC` record.
    static func h264(extradata: [UInt8]) -> String? {
        if extradata.first == 1, extradata.count >= 4 {
            // avcC: configurationVersion, then the SPS's profile, compatibility and level bytes.
            return avc1(extradata[1], extradata[2], extradata[3])
        }
        for unit in annexBUnits(extradata) {
            let nal = Array(unit)
            if nal.count >= 4, nal[0] & 0x1F == 7 { return avc1(nal[1], nal[2], nal[3]) }
        }
        return nil
    }

    /// `mp4a.40.N` where N is the MPEG-4 audio object type from the AudioSpecificConfig (2 = AAC-LC).
    static func aac(extradata: [UInt8]) -> String? {
        guard let first = extradata.first else { return nil }
        var objectType = Int(first >> 3)
        if objectType == 31, extradata.count >= 2 {
            objectType = 32 + Int((first & 0x07) << 3 | extradata[1] >> 5)
        }
        return objectType == 0 ? nil : "mp4a.40.\(objectType)"
    }

    private static func avc1(_ profile: UInt8, _ constraints: UInt8, _ level: UInt8) -> String {
        "avc1." + [profile, constraints, level].map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// NAL units of an Annex B byte stream, without their start codes.
    static func annexBUnits(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var starts: [(codeStart: Int, payload: Int)] = []
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 {
                let codeStart = index > 0 && bytes[index - 1] == 0 ? index - 1 : index
                starts.append((codeStart, index + 3))
                index += 3
            } else {
                index += 1
            }
        }
        return starts.enumerated().map { offset, start in
            let end = offset + 1 < starts.count ? starts[offset + 1].codeStart : bytes.count
            return bytes[start.payload..<max(start.payload, end)]
        }
    }
}

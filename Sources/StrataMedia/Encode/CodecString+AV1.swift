extension CodecString {
    /// `av01.P.LLT.DD` (AV1 Codec ISO Media File Format Binding, "Codecs Parameter String"), e.g. `av01.0.08M.08`.
    /// Accepts an `av1C` record or the OBUs libsvtav1 gives as extradata (a sequence header OBU).
    static func av1(extradata: [UInt8]) -> String? {
        if extradata.count >= 4, extradata[0] == 0x81 {
            // av1C: marker+version, seq_profile(3) seq_level_idx_0(5), seq_tier_0 high_bitdepth twelve_bit ...
            let depth = extradata[2] & 0x40 == 0 ? 8 : (extradata[2] & 0x20 != 0 ? 12 : 10)
            return av01(profile: Int(extradata[1] >> 5), level: Int(extradata[1] & 0x1F), highTier: extradata[2] & 0x80 != 0, depth: depth)
        }
        var offset = 0
        while offset < extradata.count {
            // OBU header (AV1 5.3.1): forbidden bit, type(4), extension flag, has_size_field, reserved.
            let header = extradata[offset]
            let type = (header >> 3) & 0x0F
            var cursor = offset + 1 + (header & 0x04 != 0 ? 1 : 0)
            var size = extradata.count - cursor
            if header & 0x02 != 0 {
                guard let (value, length) = leb128(extradata, at: cursor) else { return nil }
                size = value
                cursor += length
            }
            guard size >= 0, cursor + size <= extradata.count else { return nil }
            if type == 1 { return sequenceHeader(Array(extradata[cursor..<(cursor + size)])) }
            offset = cursor + size
        }
        return nil
    }

    private static func av01(profile: Int, level: Int, highTier: Bool, depth: Int) -> String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "av01.\(profile).\(twoDigits(level))\(highTier ? "H" : "M").\(twoDigits(depth))"
    }

    private static func leb128(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        var value = 0
        for index in 0..<8 where start + index < bytes.count {
            let byte = bytes[start + index]
            value |= Int(byte & 0x7F) << (7 * index)
            if byte & 0x80 == 0 { return (value, index + 1) }
        }
        return nil
    }

    /// Reads sequence_header_obu (AV1 5.5) as far as color_config's bit depth.
    private static func sequenceHeader(_ payload: [UInt8]) -> String? {
        var bits = BitReader(payload)
        let profile = bits.read(3)
        _ = bits.read(1) // still_picture
        let reduced = bits.read(1) == 1
        var level = 0, highTier = false
        if reduced {
            level = bits.read(5)
        } else {
            var decoderModelInfo = false, bufferDelayLength = 0
            if bits.read(1) == 1 { // timing_info_present_flag
                bits.skip(64)
                if bits.read(1) == 1 { bits.skipUVLC() } // equal_picture_interval
                decoderModelInfo = bits.read(1) == 1
                if decoderModelInfo {
                    bufferDelayLength = bits.read(5) + 1
                    bits.skip(32 + 5 + 5)
                }
            }
            let initialDisplayDelay = bits.read(1) == 1
            let operatingPoints = bits.read(5) + 1
            for point in 0..<operatingPoints {
                bits.skip(12) // operating_point_idc
                let pointLevel = bits.read(5)
                let pointTier = pointLevel > 7 ? bits.read(1) == 1 : false
                if point == 0 { (level, highTier) = (pointLevel, pointTier) }
                if decoderModelInfo, bits.read(1) == 1 { bits.skip(2 * bufferDelayLength + 1) }
                if initialDisplayDelay, bits.read(1) == 1 { bits.skip(4) }
            }
        }
        let widthBits = bits.read(4) + 1, heightBits = bits.read(4) + 1
        bits.skip(widthBits + heightBits)
        if !reduced, bits.read(1) == 1 { bits.skip(4 + 3) } // frame_id_numbers_present_flag
        bits.skip(3) // use_128x128_superblock, enable_filter_intra, enable_intra_edge
        if !reduced {
            bits.skip(4) // interintra, masked compound, warped motion, dual filter
            let orderHint = bits.read(1) == 1
            if orderHint { bits.skip(2) } // jnt_comp, ref_frame_mvs
            var forceScreenContent = 2
            if bits.read(1) == 0 { forceScreenContent = bits.read(1) } // seq_choose_screen_content_tools
            if forceScreenContent > 0, bits.read(1) == 0 { bits.skip(1) } // seq_choose_integer_mv
            if orderHint { bits.skip(3) }
        }
        bits.skip(3) // superres, cdef, restoration
        var depth = 8
        if bits.read(1) == 1 { depth = profile == 2 && bits.read(1) == 1 ? 12 : 10 } // color_config high_bitdepth
        guard !bits.overrun else { return nil }
        return av01(profile: profile, level: level, highTier: highTier, depth: depth)
    }
}

/// Reads big-endian bit fields from a byte array; reading past the end sets `overrun`.
struct BitReader {
    private let bytes: [UInt8]
    private var position = 0
    private(set) var overrun = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(_ count: Int) -> Int {
        var value = 0
        for _ in 0..<count {
            guard position / 8 < bytes.count else {
                overrun = true
                return value
            }
            value = value << 1 | Int((bytes[position / 8] >> (7 - UInt8(position % 8))) & 1)
            position += 1
        }
        return value
    }

    mutating func skip(_ count: Int) { _ = read(count) }

    /// uvlc() (AV1 4.10.3): leading zeros, a one, then that many bits.
    mutating func skipUVLC() {
        var zeros = 0
        while read(1) == 0, !overrun, zeros < 32 { zeros += 1 }
        skip(zeros)
    }
}

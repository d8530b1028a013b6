extension CodecString {
    /// `hvc1.P.C.TL.B…` (ISO/IEC 14496-15 annex E.3) from the SPS's profile_tier_level, e.g. `hvc1.1.6.L93.90`.
    /// Accepts Annex B extradata (libx265's VPS/SPS/PPS) or an `hvcC` record.
    static func hevc(extradata: [UInt8]) -> String? {
        // profile_tier_level's first 12 bytes: space/tier/profile, 32 compatibility flags, 48 constraint bits, level.
        if extradata.first == 1, extradata.count >= 13 {
            return hvc1(Array(extradata[1..<13]))
        }
        for unit in annexBUnits(extradata) {
            let nal = rawBytes(Array(unit))
            // nal_unit_type 33 = SPS; then 2 header bytes and one byte of VPS id / sub-layers / nesting (H.265 7.3.2.2).
            if nal.count >= 15, (nal[0] >> 1) & 0x3F == 33 { return hvc1(Array(nal[3..<15])) }
        }
        return nil
    }

    private static func hvc1(_ ptl: [UInt8]) -> String {
        let space = ["", "A", "B", "C"][Int(ptl[0] >> 6)]
        let tier = ptl[0] & 0x20 != 0 ? "H" : "L"
        let profile = Int(ptl[0] & 0x1F)
        // E.3: the 32 compatibility flags in reverse bit order, hex without leading zeros.
        let flags = ptl[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        var reversed: UInt32 = 0
        for bit in 0..<32 where flags & (1 << bit) != 0 { reversed |= 1 << (31 - bit) }
        // E.3: the six constraint bytes, trailing zero bytes omitted.
        var constraints = Array(ptl[5..<11])
        while constraints.last == 0 { constraints.removeLast() }
        let level = Int(ptl[11])
        return (["hvc1", "\(space)\(profile)", String(reversed, radix: 16, uppercase: true), "\(tier)\(level)"]
            + constraints.map { String($0, radix: 16, uppercase: true) }).joined(separator: ".")
    }

    /// A NAL unit's payload without emulation prevention bytes (H.265 7.4.2: 0x000003 → 0x0000).
    static func rawBytes(_ nal: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(nal.count)
        var zeros = 0
        for byte in nal {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            bytes.append(byte)
        }
        return bytes
    }
}

/// Where things are inside one CMAF fragment (`moof` + `mdat`), read from its bytes.
struct FragmentLayout: Equatable {
    /// Size of the `moof` box.
    var moofSize: Int
    /// Size of the `mdat` box header (8, or 16 with a 64-bit size).
    var mdatHeaderSize: Int
    /// Size of the `mdat` box, header included.
    var mdatSize: Int
    /// Size of the fragment's first sample, from `trun` (or `tfhd`'s default).
    var firstSampleSize: Int

    /// Bytes from the start of the `moof` through the end of the first sample: what a player fetches
    /// to show that sample alone (an HLS I-frame byte range).
    var firstSampleRangeLength: Int { moofSize + mdatHeaderSize + firstSampleSize }

    /// Reads the layout of a fragment that starts with `moof`; nil when the bytes are not one.
    init?(_ bytes: [UInt8]) {
        guard let moof = Box(bytes, at: 0), moof.type == "moof" else { return nil }
        guard let mdat = Box(bytes, at: moof.size), mdat.type == "mdat" else { return nil }
        guard let traf = Box.children(of: moof, in: bytes).first(where: { $0.type == "traf" }) else { return nil }
        let trafChildren = Box.children(of: traf, in: bytes)
        var defaultSize: Int?
        if let tfhd = trafChildren.first(where: { $0.type == "tfhd" }) {
            defaultSize = FragmentLayout.tfhdDefaultSampleSize(bytes, tfhd)
        }
        guard let trun = trafChildren.first(where: { $0.type == "trun" }),
              let size = FragmentLayout.trunFirstSampleSize(bytes, trun) ?? defaultSize else { return nil }
        self.moofSize = moof.size
        self.mdatHeaderSize = mdat.headerSize
        self.mdatSize = mdat.size
        self.firstSampleSize = size
    }

    /// ISO/IEC 14496-12 §8.8.7: tfhd flags 0x01 base offset, 0x02 description index, 0x08 duration, 0x10 size.
    private static func tfhdDefaultSampleSize(_ bytes: [UInt8], _ box: Box) -> Int? {
        var cursor = box.payloadOffset
        guard let flags = readUInt32(bytes, cursor).map({ $0 & 0x00FF_FFFF }) else { return nil }
        cursor += 8  // version/flags, track_ID
        if flags & 0x01 != 0 { cursor += 8 }
        if flags & 0x02 != 0 { cursor += 4 }
        if flags & 0x08 != 0 { cursor += 4 }
        guard flags & 0x10 != 0 else { return nil }
        return readUInt32(bytes, cursor).map(Int.init)
    }

    /// ISO/IEC 14496-12 §8.8.8: trun flags 0x01 data offset, 0x04 first-sample flags; per sample
    /// 0x100 duration, 0x200 size.
    private static func trunFirstSampleSize(_ bytes: [UInt8], _ box: Box) -> Int? {
        var cursor = box.payloadOffset
        guard let flags = readUInt32(bytes, cursor).map({ $0 & 0x00FF_FFFF }),
              let count = readUInt32(bytes, cursor + 4), count > 0, flags & 0x200 != 0 else { return nil }
        cursor += 8
        if flags & 0x01 != 0 { cursor += 4 }
        if flags & 0x04 != 0 { cursor += 4 }
        if flags & 0x100 != 0 { cursor += 4 }
        return readUInt32(bytes, cursor).map(Int.init)
    }
}

/// An ISO BMFF box header found in a byte array.
struct Box {
    var type: String
    var offset: Int
    var size: Int
    var headerSize: Int

    var payloadOffset: Int { offset + headerSize }

    init?(_ bytes: [UInt8], at offset: Int) {
        guard let size32 = readUInt32(bytes, offset), offset + 8 <= bytes.count else { return nil }
        type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
        self.offset = offset
        if size32 == 1 {
            guard let high = readUInt32(bytes, offset + 8), let low = readUInt32(bytes, offset + 12) else { return nil }
            size = Int(high) << 32 | Int(low)
            headerSize = 16
        } else {
            size = size32 == 0 ? bytes.count - offset : Int(size32)
            headerSize = 8
        }
        guard size >= headerSize else { return nil }
    }

    /// The boxes directly inside `parent`, as far as `bytes` holds them.
    /// - Parameter skipping: bytes of fields before the first child (e.g. a full box's version and flags).
    static func children(of parent: Box, in bytes: [UInt8], skipping: Int = 0) -> [Box] {
        var result: [Box] = []
        var cursor = parent.payloadOffset + skipping
        let end = min(parent.offset + parent.size, bytes.count)
        while cursor + 8 <= end, let box = Box(bytes, at: cursor) {
            result.append(box)
            cursor += box.size
        }
        return result
    }

    /// A box of `type` holding `payload`, with a 32-bit size.
    static func make(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let size = UInt32(8 + payload.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8) + payload
    }
}

func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32? {
    guard offset >= 0, offset + 4 <= bytes.count else { return nil }
    return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
}

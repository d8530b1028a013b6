/// Makes each fragment's `tfhd` name its sample entry, so a fragment describes itself without the
/// header's `trex` defaults (ISO/IEC 23000-19 §7.7.3; DASH-IF's segment validator checks it in CMAF mode).
///
/// libavformat writes `sample_description_index` only in its `cmaf` mode, which also switches to negative
/// composition offsets; so it is inserted here, in the bytes of one `moof` + `mdat`, before the fragment
/// is appended to its segment (so I-frame byte ranges are measured on the final bytes).
enum FragmentHeader {
    /// `tfhd` flag: sample_description_index present (ISO/IEC 14496-12 §8.8.7).
    private static let descriptionIndexPresent: UInt32 = 0x02
    /// `tfhd` flag: base_data_offset present; that field comes before the description index.
    private static let baseDataOffsetPresent: UInt32 = 0x01
    /// `trun` flag: data_offset present (§8.8.8); it counts from the `moof`, so it grows with it.
    private static let dataOffsetPresent: UInt32 = 0x01

    /// `fragment` with `sample_description_index = 1` in every `tfhd` that lacks it, and the box sizes and
    /// `trun` data offsets that follow from the 4 added bytes. Unchanged when every `tfhd` has it already.
    static func namingSampleEntry(_ fragment: [UInt8]) throws -> [UInt8] {
        guard let moof = Box(fragment, at: 0), moof.type == "moof", moof.headerSize == 8 else {
            throw TranscodeError(.encoding, "the mp4 muxer wrote a fragment that does not start with moof")
        }
        var edits: [(traf: Box, tfhd: Box, flags: UInt32)] = []
        for traf in Box.children(of: moof, in: fragment) where traf.type == "traf" {
            guard let tfhd = Box.children(of: traf, in: fragment).first(where: { $0.type == "tfhd" }), tfhd.headerSize == 8,
                  traf.headerSize == 8, let flags = readUInt32(fragment, tfhd.payloadOffset).map({ $0 & 0x00FF_FFFF }) else {
                throw TranscodeError(.encoding, "the mp4 muxer wrote a track fragment without a usable tfhd")
            }
            if flags & descriptionIndexPresent == 0 { edits.append((traf, tfhd, flags)) }
        }
        guard !edits.isEmpty else { return fragment }
        var bytes = fragment
        // Every trun's data offset counts from the moof to the mdat, which moves by all the bytes added.
        for traf in Box.children(of: moof, in: fragment) where traf.type == "traf" {
            for trun in Box.children(of: traf, in: fragment) where trun.type == "trun" {
                if let trunFlags = readUInt32(fragment, trun.payloadOffset), trunFlags & dataOffsetPresent != 0,
                   let offset = readUInt32(fragment, trun.payloadOffset + 8) {
                    write(offset &+ UInt32(4 * edits.count), into: &bytes, at: trun.payloadOffset + 8)
                }
            }
        }
        // Later trafs first, so the offsets of earlier ones stay valid while inserting.
        for (traf, tfhd, flags) in edits.reversed() {
            let insertAt = tfhd.payloadOffset + 8 + (flags & baseDataOffsetPresent != 0 ? 8 : 0)  // version/flags, track_ID
            write(flags | descriptionIndexPresent, into: &bytes, at: tfhd.payloadOffset, keepingVersion: true)
            write(UInt32(tfhd.size + 4), into: &bytes, at: tfhd.offset)
            write(UInt32(traf.size + 4), into: &bytes, at: traf.offset)
            bytes.insert(contentsOf: [0, 0, 0, 1], at: insertAt)
        }
        write(UInt32(moof.size + 4 * edits.count), into: &bytes, at: moof.offset)
        return bytes
    }

    private static func write(_ value: UInt32, into bytes: inout [UInt8], at offset: Int, keepingVersion: Bool = false) {
        let start = keepingVersion ? 1 : 0
        for index in start..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
    }
}

/// Completes libavformat's init segment (`ftyp` + `moov`) into a CMAF header (ISO/IEC 23000-19 §7.3.1).
///
/// libavformat's mp4 muxer writes what a CMAF header needs but two details it has no option for (its
/// `cmaf` flag also switches to negative composition offsets, which FFmpeg's own reader mistimes): the
/// `cmfc` brand, and an MPEG-4 audio elementary stream id of 0 (it writes the track id, 1). Both are fixed
/// here in the bytes the muxer wrote, before the file is saved. Neither edit moves a box anything points
/// at: a fragmented header's empty `moov` holds no sample offsets, and the ES_ID is rewritten in place.
enum CMAFHeader {
    /// The CMAF structural brand (§7.2). Not `cmf2` (§7.7): its further constraints are not all something
    /// Strata checks, and a brand is a promise.
    static let brand = "cmfc"

    /// `bytes` with `cmfc` among the `ftyp` compatible brands and every `esds` ES_ID set to 0.
    static func conform(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let ftyp = Box(bytes, at: 0), ftyp.type == "ftyp", ftyp.size >= 16, ftyp.size <= bytes.count else {
            throw TranscodeError(.encoding, "the mp4 muxer wrote an init segment that does not start with ftyp")
        }
        var rest = Array(bytes[ftyp.size...])
        for esds in descriptorBoxes(in: rest) {
            try clearElementaryStreamID(&rest, esds)
        }
        return fileType(bytes, ftyp) + rest
    }

    /// `ftyp` with `cmfc` added to its compatible brands (ISO/IEC 14496-12 §4.3: major, minor, compatible…).
    private static func fileType(_ bytes: [UInt8], _ ftyp: Box) -> [UInt8] {
        let payload = Array(bytes[ftyp.payloadOffset..<(ftyp.offset + ftyp.size)])
        let compatible = stride(from: 8, to: payload.count - 3, by: 4).map { String(decoding: payload[$0..<($0 + 4)], as: UTF8.self) }
        guard !compatible.contains(brand) else { return Array(bytes[ftyp.offset..<(ftyp.offset + ftyp.size)]) }
        return Box.make("ftyp", payload + Array(brand.utf8))
    }

    /// Every `esds` box of the header: moov/trak/mdia/minf/stbl/stsd/<sample entry>/esds.
    private static func descriptorBoxes(in bytes: [UInt8]) -> [Box] {
        var boxes: [Box] = []
        var cursor = 0
        while let box = Box(bytes, at: cursor) {
            if box.type == "moov" {
                for trak in Box.children(of: box, in: bytes) where trak.type == "trak" {
                    let path = ["mdia", "minf", "stbl", "stsd"]
                    guard let stsd = path.reduce(Optional(trak), { parent, type in
                        parent.flatMap { Box.children(of: $0, in: bytes).first { $0.type == type } }
                    }) else { continue }
                    // stsd: version/flags and entry_count, then the sample entries (§8.5.2).
                    for entry in Box.children(of: stsd, in: bytes, skipping: 8) {
                        // AudioSampleEntry: 8 bytes of SampleEntry fields, then 20 of audio fields (§12.2.3).
                        boxes += Box.children(of: entry, in: bytes, skipping: 28).filter { $0.type == "esds" }
                    }
                }
            }
            cursor += box.size
        }
        return boxes
    }

    /// Sets the ES_Descriptor's ES_ID to 0, as CMAF §10.3.4.2.3 (AAC) requires. ISO/IEC 14496-1 §7.2.6.5:
    /// tag 0x03, a size of 1–4 bytes (7 bits each, the high bit saying another follows), then the 16-bit ES_ID.
    private static func clearElementaryStreamID(_ bytes: inout [UInt8], _ esds: Box) throws {
        var cursor = esds.payloadOffset + 4  // version and flags
        guard cursor < bytes.count, bytes[cursor] == 0x03 else {
            throw TranscodeError(.encoding, "the mp4 muxer wrote an esds without an ES_Descriptor")
        }
        cursor += 1
        for _ in 0..<4 {
            guard cursor < bytes.count else { break }
            let more = bytes[cursor] & 0x80 != 0
            cursor += 1
            if !more { break }
        }
        guard cursor + 2 <= esds.offset + esds.size else {
            throw TranscodeError(.encoding, "the mp4 muxer wrote a truncated ES_Descriptor")
        }
        bytes[cursor] = 0
        bytes[cursor + 1] = 0
    }
}

import FFmpegBridge

/// Maps an HDR (PQ or HLG) master's pictures to SDR BT.709, once per picture the constant frame rate keeps,
/// before any rung or thumbnail is scaled from them: without it every 8-bit rung would carry HDR code values
/// and look washed out.
///
/// libavfilter's `zscale` (zimg) and `tonemap`, the chain FFmpeg's documentation gives: to linear light
/// (1.0 = 100 cd/m², SDR reference white), BT.2020 → BT.709 primaries in float RGB, Hable's filmic curve
/// from the signal peak (the master's MaxCLL or mastering display, else 1000 cd/m²) down to 1.0, then
/// BT.709 transfer and matrix in limited range, 8-bit 4:2:0.
final class ToneMapping {
    /// The master's range this maps from.
    let range: DynamicRange
    private let filter: PictureFilter

    /// What the package says was done, for `package.json` and `--json`.
    static let conversion = "tone-mapped to SDR BT.709 (libavfilter zscale + tonemap, hable)"

    /// The tone mapping for `stream`, or nil when it is SDR (then nothing is inserted and pictures go on untouched).
    /// - Parameter threads: slice threads for the filters (0: one per core).
    init?(stream: StreamDescription, threads: Int = 0) {
        let range = DynamicRange(stream: stream)
        guard range != .sdr else { return nil }
        self.range = range
        filter = PictureFilter(chain: ToneMapping.chain(from: stream.colorTags.names), threads: threads)
    }

    /// The SDR picture for the HDR `picture` (a new frame; `picture` is unchanged).
    func apply(to picture: Frame) throws -> Frame {
        do {
            return try filter.apply(to: picture)
        } catch {
            throw TranscodeError(.unsupported, "cannot tone-map the master's \(range.rawValue) video to SDR: \(error.message)")
        }
    }

    /// The filter chain for a master with colour tags `colors` (FFmpeg names, as `ColorDescription.names` gives them).
    /// Input properties are spelled out, so untagged primaries or matrix read as BT.2020 (what PQ and HLG masters use).
    static func chain(from colors: [String: String]) -> String {
        let transfer = colors["transfer"] == "arib-std-b67" ? "arib-std-b67" : "smpte2084"
        let primaries = colors["primaries"].flatMap { knownPrimaries.contains($0) ? $0 : nil } ?? "bt2020"
        let matrix = colors["matrix"].flatMap { knownMatrices.contains($0) ? $0 : nil } ?? "bt2020nc"
        let range = colors["range"] == "pc" ? "pc" : "tv"
        return [
            "zscale=tin=\(transfer):pin=\(primaries):min=\(matrix):rin=\(range):t=linear:npl=100",
            "format=gbrpf32le",
            "zscale=p=bt709",
            // desat=0: keep saturated highlights' colour (the filter's default desaturates them towards white).
            "tonemap=tonemap=hable:desat=0",
            "zscale=t=bt709:m=bt709:r=tv",
            "format=yuv420p",
        ].joined(separator: ",")
    }

    /// FFmpeg colour names that zscale also knows (its `primariesin`/`matrixin` constants).
    private static let knownPrimaries: Set = ["bt709", "bt470m", "bt470bg", "smpte170m", "smpte240m", "film", "bt2020",
                                              "smpte428", "smpte431", "smpte432", "jedec-p22", "ebu3213"]
    private static let knownMatrices: Set = ["bt709", "fcc", "bt470bg", "smpte170m", "ycgco", "bt2020nc", "bt2020c",
                                             "chroma-derived-nc", "chroma-derived-c", "ictcp"]
}

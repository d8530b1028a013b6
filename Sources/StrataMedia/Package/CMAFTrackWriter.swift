import FFmpegBridge
import Foundation
import StrataManifest

/// Packages one encoded track as CMAF: `init.mp4` plus numbered media segments (`seg-1.m4s`, …)
/// in one directory, and reports what it wrote as facts for the manifests.
///
/// The caller decides the structure: each packet says whether it starts a new segment or a new
/// fragment inside the current one. Video starts a fragment at every IDR frame, so every I-frame
/// can be addressed by a byte range (HLS trick play).
///
/// Each segment is written under a hidden name and renamed into place once complete, then reported to
/// the `listener`, so a folder being served never shows a half-written segment. A segment an interrupted
/// run already published is kept as it was (the new bytes are dropped) after checking it covers the same span.
final class CMAFTrackWriter {
    /// `styp` of every media segment: major brand `msdh`, a DASH media segment (ISO/IEC 23009-1 §6.3.4.2),
    /// compatible with it and with `cmfs`, a CMAF segment (ISO/IEC 23000-19 §7.3.3): one or more whole
    /// CMAF fragments, the first starting with a SAP of type 1 or 2 (every segment starts with an IDR frame).
    private static let segmentType: [UInt8] = Box.make("styp", Array("msdh".utf8) + [0, 0, 0, 0] + Array("msdhcmfs".utf8))

    private let directory: URL
    private let relativeDirectory: String
    private let muxer: FragmentedMP4Muxer
    private let collector = ByteCollector()
    private let timestampOffset: Int64
    private let encoderTimeBase: Rational
    private var file: FileHandle?
    private var fileBytes = 0
    private var segments: [SegmentFacts] = []
    private var iFrames: [IFrameFacts] = []
    private var fragmentStart: (pts: Int64, isKeyframe: Bool)?
    private var packetsInSegment = 0
    private let listener: (any PackageListener)?
    private let published: PublishedSegments
    /// Segments already reported to the listener.
    private var reported = 0
    /// The number of this writer's first segment file: 1, or more when it writes a later part of the track.
    private let firstSegmentNumber: Int

    /// Creates the directory and writes the init segment for `encoder`'s track.
    /// - Parameters:
    ///   - timestampOffset: ticks (encoder time base) added to every timestamp, so the
    ///     presentation starts at a common positive time across tracks.
    ///   - part: where this writer's segments and fragments start in the track (a chunk of a long master).
    init(directory: URL, relativeDirectory: String, encoder: Encoder, timestampOffset: Int64,
         listener: (any PackageListener)? = nil, part: TrackPart = .whole) throws {
        self.listener = listener
        firstSegmentNumber = part.firstSegment + 1
        published = listener?.publishedSegments(of: relativeDirectory) ?? .none
        self.directory = directory
        self.relativeDirectory = relativeDirectory
        self.timestampOffset = timestampOffset
        self.encoderTimeBase = encoder.timeBase
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let collector = self.collector
        muxer = try FragmentedMP4Muxer(encoder: encoder) { collector.bytes += $0 }
        try muxer.writeHeader(firstFragment: part.firstFragment + 1)
        guard muxer.timeBase.numerator == 1 else {
            throw TranscodeError(.encoding, "the mp4 muxer chose an unexpected time base \(muxer.timeBase)")
        }
        try Data(CMAFHeader.conform(collector.take())).write(to: directory.appendingPathComponent(part.initialization), options: .atomic)
    }

    /// The track's timeline before any segment, for listeners.
    func emptyTimeline(presentationTimeOffset: Int64) -> TrackTimeline {
        TrackTimeline(directory: relativeDirectory, timescale: timescale,
                      presentationTimeOffset: Rational.rescale(presentationTimeOffset, from: encoderTimeBase, to: muxer.timeBase),
                      segments: [])
    }

    /// Ticks per second of the track.
    var timescale: Int { Int(muxer.timeBase.denominator) }

    /// Adds a packet (timestamps in the encoder's time base).
    func write(_ packet: Packet, startsSegment: Bool, startsFragment: Bool) throws {
        if file == nil || startsSegment {
            try closeFragment()
            try openSegment()
        } else if startsFragment {
            try closeFragment()
        }
        packet.shiftTimestamps(by: timestampOffset)
        let isKeyframe = packet.isKeyframe
        try muxer.write(packet)  // rescales the packet's timestamps to the track's time base
        if fragmentStart == nil { fragmentStart = (packet.pts, isKeyframe) }
        if packetsInSegment == 0 {
            segments.append(SegmentFacts(file: segmentFile(segments.count),
                                         start: packet.pts, duration: 0, byteCount: 0))
            // The previous segment's end is this one's start: it can be reported now.
            if segments.count >= 2 {
                segments[segments.count - 2].duration = packet.pts - segments[segments.count - 2].start
                try report(through: segments.count - 1)
            }
        }
        packetsInSegment += 1
    }

    /// Writes what is pending and returns the track's timeline and I-frames.
    /// - Parameter end: the presentation end of the track, in the encoder's time base (before the offset).
    func finish(end: Int64, presentationTimeOffset: Int64) throws -> (timeline: TrackTimeline, iFrames: [IFrameFacts]) {
        try closeFragment()
        try muxer.finish()
        try closeSegment()
        let endTime = Rational.rescale(end + timestampOffset, from: encoderTimeBase, to: muxer.timeBase)
        for index in segments.indices {
            let next = index + 1 < segments.count ? segments[index + 1].start : endTime
            segments[index].duration = max(0, next - segments[index].start)
        }
        for index in iFrames.indices {
            let next = index + 1 < iFrames.count ? iFrames[index + 1].start : endTime
            iFrames[index].duration = max(0, next - iFrames[index].start)
        }
        try report(through: segments.count)
        let pto = Rational.rescale(presentationTimeOffset, from: encoderTimeBase, to: muxer.timeBase)
        let timeline = TrackTimeline(directory: relativeDirectory, timescale: timescale, presentationTimeOffset: pto, segments: segments)
        return (timeline, iFrames)
    }

    /// Reports segments up to number `count` to the listener, after keeping already published ones as they were.
    private func report(through count: Int) throws {
        while reported < count {
            let index = reported
            var finished = segments[index]
            var inside = iFrames.filter { $0.file == finished.file }
            if index < published.segments.count {
                let kept = published.segments[index]
                guard kept.start == finished.start, kept.duration == finished.duration else {
                    throw TranscodeError(.output, "cannot resume '\(relativeDirectory)': segment \(index + 1) would change "
                                         + "(was \(kept.start)+\(kept.duration), now \(finished.start)+\(finished.duration)); start the job again from scratch")
                }
                finished = kept
                inside = published.iFrames.filter { $0.file == kept.file }
                segments[index] = kept
                iFrames.removeAll { $0.file == kept.file }
                iFrames.append(contentsOf: inside)
                iFrames.sort { $0.start < $1.start }
            }
            reported += 1
            try listener?.segmentFinished(directory: relativeDirectory, segment: finished, iFrames: inside)
        }
    }

    private func openSegment() throws {
        try closeSegment()
        let name = CMAFTrackWriter.pendingName(segmentFile(segments.count))
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw TranscodeError(.output, "cannot create segment '\(url.path)'")
        }
        file = try FileHandle(forWritingTo: url)
        fileBytes = 0
        packetsInSegment = 0
        try append(CMAFTrackWriter.segmentType)
    }

    private func closeSegment() throws {
        guard let file else { return }
        try file.close()
        self.file = nil
        if !segments.isEmpty, packetsInSegment > 0 { segments[segments.count - 1].byteCount = fileBytes }
        let name = segmentFile(segments.count - 1)
        let pending = directory.appendingPathComponent(CMAFTrackWriter.pendingName(name))
        if segments.count <= published.segments.count {
            try FileManager.default.removeItem(at: pending)  // players have the published one: it stays
        } else if rename(pending.path, directory.appendingPathComponent(name).path) != 0 {
            throw TranscodeError(.output, "cannot move segment '\(pending.path)' into place: \(String(cString: strerror(errno)))")
        }
    }

    /// The file of this writer's `index`-th segment (0-based), numbered on from the part's first segment.
    private func segmentFile(_ index: Int) -> String { TrackTimeline.segmentFile(number: firstSegmentNumber + index) }

    /// The hidden name a segment has while it is written (the server never serves dot files).
    static func pendingName(_ file: String) -> String { ".\(file).partial" }

    /// Has the muxer emit the pending fragment and appends it to the current segment file.
    private func closeFragment() throws {
        guard let start = fragmentStart else { return }
        try muxer.flushFragment()
        let bytes = try FragmentHeader.namingSampleEntry(collector.take())
        guard let layout = FragmentLayout(bytes), layout.moofSize + layout.mdatSize == bytes.count else {
            throw TranscodeError(.encoding, "the mp4 muxer wrote an unexpected fragment (\(bytes.count) bytes)")
        }
        if start.isKeyframe {
            iFrames.append(IFrameFacts(file: segmentFile(segments.count - 1), byteOffset: fileBytes,
                                       byteCount: layout.firstSampleRangeLength, start: start.pts, duration: 0))
        }
        try append(bytes)
        fragmentStart = nil
    }

    private func append(_ bytes: [UInt8]) throws {
        try file?.write(contentsOf: bytes)
        fileBytes += bytes.count
    }
}

/// Where a writer's output starts in its track: the whole track, or a later part (a chunk) whose first
/// segment and fragment follow those other writers made, so files and `mfhd` sequence numbers run on.
struct TrackPart: Sendable, Equatable {
    /// Segments before this part (0-based index of its first segment).
    var firstSegment: Int
    /// Fragments before this part.
    var firstFragment: Int

    static let whole = TrackPart(firstSegment: 0, firstFragment: 0)

    /// Where this part's writer puts its init segment: the track's `init.mp4` for the first part; a hidden copy for
    /// later parts, which the package's assembly checks is the same and removes (the server never serves dot files).
    var initialization: String { firstSegment == 0 ? "init.mp4" : TrackPart.laterInitialization(firstSegment: firstSegment) }

    static func laterInitialization(firstSegment: Int) -> String { ".init-from-\(firstSegment + 1).mp4" }
}

/// Bytes the muxer has written since they were last taken.
private final class ByteCollector {
    var bytes: [UInt8] = []

    func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }
}

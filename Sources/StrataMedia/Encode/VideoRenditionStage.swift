import FFmpegBridge
import Foundation
import StrataManifest

/// One rung of the ladder on its own thread: picture → encoder (libx264, libx265, libsvtav1) → CMAF segments.
final class VideoRenditionStage {
    let index: Int
    let rendition: PlannedRendition
    private let input: BoundedQueue<DecodedVideoFrame>
    private let picture: RenditionPicture
    private let encoder: Encoder
    private let schedule: KeyframeSchedule
    private let frameRate: Rational
    private let directory: URL
    private let relativeDirectory: String
    private var writer: CMAFTrackWriter?
    private let listener: (any PackageListener)?
    /// For a smart-crop rung: the camera path whose window is cut from each frame, and how to map it.
    private let crop: (path: CameraPath, geometry: DisplayGeometry)?
    /// Where this stage's frames start in the track: the whole track, or a chunk of it.
    private let part: TrackPart

    init(index: Int, rendition: PlannedRendition, input: BoundedQueue<DecodedVideoFrame>, encoder: Encoder,
         rotation: QuarterTurn, scaling: ScalingFilter, schedule: KeyframeSchedule, frameRate: Rational,
         directory: URL, relativeDirectory: String, listener: (any PackageListener)? = nil,
         crop: (path: CameraPath, geometry: DisplayGeometry)? = nil, part: TrackPart = .whole) throws {
        self.index = index
        self.part = part
        self.listener = listener
        self.rendition = rendition
        self.input = input
        self.encoder = encoder
        self.schedule = schedule
        self.frameRate = frameRate
        self.directory = directory
        self.relativeDirectory = relativeDirectory
        self.crop = crop
        picture = try RenditionPicture(width: rendition.width, height: rendition.height, rotation: rotation, filter: scaling)
    }

    /// Encodes every frame from the queue and returns the rendition's facts.
    /// - Parameter presentationOffset: frames added to every timestamp (the common start of all tracks).
    func run(presentationOffset: Int64, control: PipelineControl) throws -> VideoTrackFacts {
        let writer = try CMAFTrackWriter(directory: directory, relativeDirectory: relativeDirectory, encoder: encoder,
                                         timestampOffset: presentationOffset, listener: listener, part: part)
        self.writer = writer
        listener?.trackOpened(.video(try facts(timeline: writer.emptyTimeline(presentationTimeOffset: presentationOffset), iFrames: []), index: index))
        var frames: Int64 = 0
        while let item = input.pop() {
            let output = try crop.map { crop in
                // The analysis decoded the same frames; a frame past its end keeps the last window.
                try picture.make(from: item.frame, window: crop.path.windows[min(item.number, crop.path.windows.count - 1)],
                                 geometry: crop.geometry)
            } ?? picture.make(from: item.frame)
            output.pts = Int64(item.number)
            output.forcesKeyframe = schedule.isKeyframe(item.number)
            try encoder.encode(output, write)
            frames = Int64(item.number) + 1
            control.frameEncoded(rendition: index)
        }
        guard !control.isStopped else { throw control.failure! }
        try encoder.encode(nil, write)
        let result = try writer.finish(end: frames, presentationTimeOffset: presentationOffset)
        return try facts(timeline: result.timeline, iFrames: result.iFrames)
    }

    private func facts(timeline: TrackTimeline, iFrames: [IFrameFacts]) throws -> VideoTrackFacts {
        guard let codecs = CodecString.video(rendition.spec.codec, extradata: encoder.extradata) else {
            throw TranscodeError(.encoding, "the \(rendition.spec.codec.rawValue) encoder produced no sequence header for \(rendition.spec.name)")
        }
        return VideoTrackFacts(
            id: rendition.spec.name, width: rendition.width, height: rendition.height,
            frameRate: FrameRate(Int(frameRate.numerator), Int(frameRate.denominator)), codecs: codecs,
            timeline: timeline, iFrames: iFrames)
    }

    private func write(_ packet: Packet) throws {
        let number = Int(packet.pts)
        let startsSegment = packet.isKeyframe && schedule.segmentIndex(startingAt: number) != nil
        try writer!.write(packet, startsSegment: startsSegment, startsFragment: packet.isKeyframe)
    }
}

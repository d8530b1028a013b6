import FFmpegBridge
import StrataManifest
import StrataProfiles

/// One rung as it will be encoded for a particular master.
public struct PlannedRendition: Sendable, Hashable {
    public var spec: RenditionSpec
    /// Output size, upright, square pixels, both even.
    public var width: Int
    public var height: Int
    /// How per-title analysis set the encoder's rate; nil for the profile's average bit rate.
    public var rateControl: RateControlFacts? = nil
}

/// What a transcode will make of a master under a profile: the frame rate, the rungs that fit, the turn.
public struct LadderPlan: Sendable {
    public var renditions: [PlannedRendition]
    /// Every rendition's constant frame rate.
    public var frameRate: Rational
    /// Turn applied to the decoded picture to show it upright.
    public var rotation: QuarterTurn
    /// The master's size as shown (square pixels, after rotation).
    public var displayWidth: Int
    public var displayHeight: Int
    /// Rungs left out because they would upscale the master.
    public var droppedRenditions: [String]
    /// The rung added at the master's own size, when its short side lies between two of the profile's rungs.
    public var sourceSizeRendition: String?
    /// What per-title analysis measured and left out, in per-title mode (`PerTitleLadder`).
    public var perTitle: PerTitleFacts?

    /// Plans `profile` for a master whose main video stream is `video`.
    ///
    /// A rung's `height` is the short side of the picture, so a portrait master gets portrait renditions
    /// of the same quality tiers. Rungs larger than the master are dropped; if none fits, the smallest
    /// rung is made at the master's own size. When the master lies between rungs, a top rung at its own
    /// size keeps its resolution (`SourceSizeRung`).
    public init(profile: EncodingProfile, video: StreamDescription) throws(TranscodeError) {
        guard let width = video.displayWidth, let height = video.displayHeight, width >= 16, height >= 16 else {
            throw TranscodeError(.unsupported, "the master's video stream has no usable picture size")
        }
        // Beyond any real picture (H.264 level 6.2 tops out at 8192×4320): a damaged header, never sent to the encoder.
        guard width <= LadderPlan.maximumDisplaySide, height <= LadderPlan.maximumDisplaySide else {
            throw TranscodeError(.unsupported, "the master's picture size as shown (\(width)×\(height)) is implausible; is the file damaged?")
        }
        displayWidth = width
        displayHeight = height
        rotation = QuarterTurn(rawValue: video.rotation ?? 0) ?? .none
        frameRate = OutputFrameRate.choose(average: video.exactFrameRate, base: nil, maxFrameRate: profile.maxFrameRate)

        let shortSide = Double(min(width, height)), longSide = Double(max(width, height))
        var planned: [PlannedRendition] = []
        var dropped: [String] = []
        for spec in profile.renditions {
            var scale = Double(spec.height) / shortSide
            if let boxWidth = spec.width {
                // Fit inside the box (given landscape; turned for portrait masters).
                scale = min(scale, Double(boxWidth) / longSide)
            }
            guard scale <= 1.0001 else {
                dropped.append(spec.name)
                continue
            }
            let size = LadderPlan.evenSize(width: Double(width) * scale, height: Double(height) * scale)
            // Parallel ladders (H.264, HEVC, AV1) each keep their own rung of a size.
            if planned.contains(where: { $0.spec.codec == spec.codec && $0.width == size.width && $0.height == size.height }) {
                dropped.append(spec.name)
                continue
            }
            planned.append(PlannedRendition(spec: spec, width: size.width, height: size.height))
        }
        // A codec whose every rung is too large keeps its smallest rung's settings, at the master's own size
        // and named for it (the H.264 one bare, the others with their codec: "240p", "240p-hevc").
        for codec in VideoCodec.allCases where profile.renditions.contains(where: { $0.codec == codec }) && !planned.contains(where: { $0.spec.codec == codec }) {
            guard var smallest = profile.renditions.filter({ $0.codec == codec }).min(by: { $0.height < $1.height }) else { continue }
            let size = LadderPlan.evenSize(width: Double(width), height: Double(height))
            dropped.removeAll { $0 == smallest.name }
            smallest.name = "\(min(size.width, size.height))p" + (codec == .h264 ? "" : "-\(codec.rawValue)")
            planned.append(PlannedRendition(spec: smallest, width: size.width, height: size.height))
        }
        // Even sizes rounded down, so the master's own rung is never larger than the master.
        // Per codec, so each parallel ladder keeps the master's resolution ("480p", "480p-hevc").
        for codec in VideoCodec.allCases {
            var ladder = profile
            ladder.renditions = profile.renditions.filter { $0.codec == codec }
            let names = Set(ladder.renditions.map(\.name))
            guard var added = SourceSizeRung.make(profile: ladder, planned: planned.filter { $0.spec.codec == codec },
                                                  dropped: dropped.filter(names.contains),
                                                  size: (width: width & ~1, height: height & ~1)) else { continue }
            if codec != .h264 { added.spec.name += "-\(codec.rawValue)" }
            planned.insert(added, at: planned.firstIndex { $0.spec.codec == codec } ?? planned.endIndex)
            if sourceSizeRendition == nil { sourceSizeRendition = added.spec.name }
        }
        renditions = planned
        droppedRenditions = dropped
    }

    /// The longest side of a shown picture Strata plans for.
    static let maximumDisplaySide = 16384

    static func evenSize(width: Double, height: Double) -> (width: Int, height: Int) {
        func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }
        return (even(width), even(height))
    }
}

import StrataProfiles

/// One smart-crop presentation as it will be encoded for a particular master: the window size and the rungs.
public struct PlannedCrop: Sendable, Hashable {
    public var spec: CropSpec
    /// The crop window in the master's displayed pixels: the largest of the crop's aspect that fits.
    public var windowWidth: Int
    public var windowHeight: Int
    /// Rungs, largest first, named by their height ("720p").
    public var renditions: [PlannedRendition]
    /// Heights left out because they would upscale the window.
    public var droppedHeights: [Int]

    /// Plans `spec` for a master shown at `displayWidth`×`displayHeight`, with rung settings from `profile`.
    ///
    /// Each rung takes the encoder settings of the main ladder's rung nearest its height (same codec as the
    /// ladder's first rung), with the bit rate scaled by the ratio of picture areas, so a crop costs what its
    /// pixels cost. Heights taller than the window are dropped; if none fits, one rung at the window's size is made.
    public init(spec: CropSpec, profile: EncodingProfile, displayWidth: Int, displayHeight: Int) {
        self.spec = spec
        let window = CameraPath.windowSize(aspect: spec.aspectRatio, sourceWidth: displayWidth, sourceHeight: displayHeight)
        (windowWidth, windowHeight) = window
        let codec = profile.renditions.first?.codec ?? .h264
        let ladder = profile.renditions.filter { $0.codec == codec }
        var heights = spec.heights ?? ladder.map(\.height).sorted(by: >)
        droppedHeights = heights.filter { $0 > window.height }
        heights.removeAll { $0 > window.height }
        if heights.isEmpty { heights = [window.height] }
        let masterAspect = Double(displayWidth) / Double(displayHeight)
        renditions = heights.compactMap { height in
            guard let base = ladder.min(by: { abs($0.height - height) < abs($1.height - height) }) else { return nil }
            // The window's own shape (its even size is a hair off the exact aspect), so no rung is stretched.
            let size = LadderPlan.evenSize(width: Double(height) * Double(window.width) / Double(window.height), height: Double(height))
            // The base rung's pixels at this height on the master's own shape, against the crop's.
            let areaRatio = Double(size.width * size.height) / (Double(height) * masterAspect * Double(height))
            let heightRatio = Double(height * height) / Double(base.height * base.height)
            let scale = areaRatio * heightRatio
            var rung = base
            rung.name = "\(size.height)p"
            rung.height = size.height
            rung.width = nil
            rung.bitrate = max(50_000, Int(Double(base.bitrate) * scale))
            rung.maxrate = max(rung.bitrate, Int(Double(base.maxrate) * scale))
            rung.bufsize = max(50_000, Int(Double(base.bufsize) * scale))
            return PlannedRendition(spec: rung, width: size.width, height: size.height)
        }
        // Two heights that round to the same size keep one rung.
        var seen = Set<String>()
        renditions = renditions.filter { seen.insert($0.spec.name).inserted }
    }

    /// Folder of the presentation inside the package.
    public var directory: String { "crops/\(spec.name)" }
}

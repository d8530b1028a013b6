/// One frame's crop window, in the master's displayed pixels (upright, square pixels); all values even.
public struct CropWindow: Sendable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// How the virtual camera may move, in units of the window's own size so every crop moves alike.
struct CameraMotion: Sendable, Hashable {
    /// The camera stays still while the subject is within this share of the window's size from its centre.
    var deadZone = 0.12
    /// Once moving, the camera keeps going until the subject is within this share of the centre.
    var settleZone = 0.03
    /// Fastest pan, window sizes per second.
    var maximumSpeed = 1.2
    /// Fastest change of speed, window sizes per second per second.
    var maximumAcceleration = 4.0
    /// Share of the remaining distance the camera aims to close per second (a proportional controller).
    var responsiveness = 4.0
}

/// A smoothed crop-window path over a whole master: per shot, a dead zone, bounded velocity and acceleration,
/// and a jump only where a shot starts (AutoFlip's "camera motion" stage, simplified to a deterministic
/// controller fed by the whole shot's subject track).
struct CameraPath: Sendable, Hashable {
    /// One window per output frame.
    var windows: [CropWindow]
    /// Frames that start a shot (the camera may jump there), always including 0.
    var shotStarts: [Int]

    /// The largest window of `aspect` (width over height) that fits a `sourceWidth`×`sourceHeight` picture, even-sized.
    static func windowSize(aspect: Double, sourceWidth: Int, sourceHeight: Int) -> (width: Int, height: Int) {
        if Double(sourceWidth) / Double(sourceHeight) > aspect {
            return (min(sourceWidth, Int(Double(sourceHeight) * aspect)) & ~1, sourceHeight & ~1)
        }
        return (sourceWidth & ~1, min(sourceHeight, Int(Double(sourceWidth) / aspect)) & ~1)
    }

    /// A path given window by window (an operator's, read from a file).
    init(windows: [CropWindow], shotStarts: [Int]) {
        self.windows = windows
        self.shotStarts = shotStarts
    }

    /// Plans the path of a `width`×`height` window over a master with the given per-frame saliency.
    init(saliency: [FrameSaliency], sourceWidth: Int, sourceHeight: Int, width: Int, height: Int,
         frameRate: Double, motion: CameraMotion = CameraMotion()) {
        shotStarts = ShotCuts.starts(saliency)
        var windows: [CropWindow] = []
        windows.reserveCapacity(saliency.count)
        let ends = Array(shotStarts.dropFirst()) + [saliency.count]
        for (start, end) in zip(shotStarts, ends) {
            let centres = SubjectTrack.centres(saliency[start..<end], frameRate: frameRate)
            let xs = CameraPath.follow(centres.map { $0.x * Double(sourceWidth) }, size: Double(width),
                                       limit: Double(sourceWidth), frameRate: frameRate, motion: motion)
            let ys = CameraPath.follow(centres.map { $0.y * Double(sourceHeight) }, size: Double(height),
                                       limit: Double(sourceHeight), frameRate: frameRate, motion: motion)
            for (x, y) in zip(xs, ys) {
                windows.append(CropWindow(x: CameraPath.evenOrigin(centre: x, size: width, limit: sourceWidth),
                                          y: CameraPath.evenOrigin(centre: y, size: height, limit: sourceHeight),
                                          width: width, height: height))
            }
        }
        self.windows = windows
    }

    /// The camera centre along one axis, frame by frame, for subject centres `targets` (pixels) within one shot.
    static func follow(_ targets: [Double], size: Double, limit: Double, frameRate: Double, motion: CameraMotion) -> [Double] {
        guard let first = targets.first else { return [] }
        let lowest = size / 2, highest = limit - size / 2
        guard highest > lowest else { return Array(repeating: limit / 2, count: targets.count) }
        func clamp(_ value: Double) -> Double { min(max(value, lowest), highest) }
        let maximumSpeed = motion.maximumSpeed * size / frameRate
        let maximumAcceleration = motion.maximumAcceleration * size / (frameRate * frameRate)
        let gain = min(1, motion.responsiveness / frameRate)
        var position = clamp(first)
        var velocity = 0.0
        var moving = false
        var path: [Double] = []
        path.reserveCapacity(targets.count)
        for target in targets {
            // Where the camera can actually go: a subject near the edge of the picture is followed only to the edge.
            let error = clamp(target) - position
            if abs(error) > motion.deadZone * size { moving = true }
            if abs(error) <= motion.settleZone * size { moving = false }
            let wanted = moving ? min(max(error * gain, -maximumSpeed), maximumSpeed) : 0
            velocity += min(max(wanted - velocity, -maximumAcceleration), maximumAcceleration)
            // Never overshoot a still target by braking late: stop where the target is.
            if (error > 0 && velocity > error) || (error < 0 && velocity < error) { velocity = error }
            position = clamp(position + velocity)
            path.append(position)
        }
        return path
    }

    static func evenOrigin(centre: Double, size: Int, limit: Int) -> Int {
        let origin = Int((centre - Double(size) / 2).rounded()) & ~1
        return min(max(origin, 0), (limit - size) & ~1)
    }
}

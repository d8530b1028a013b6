import StrataProfiles

/// The rung that keeps a master's own resolution when its short side lies between two of the profile's rungs.
///
/// A 640×480 master under a 1080/720/540/360 ladder would otherwise come out at 360p only. The added rung
/// is the master's own (even, square-pixel) size, never upscaled; its rates are interpolated linearly by
/// pixel count between the rung above it (dropped as too large) and the largest rung kept, and it takes
/// the codec settings of the rung above, whose tier it replaces. It is not added when a kept rung's short
/// side is within 10% of the master's.
enum SourceSizeRung {
    /// Kept rungs closer than this fraction of the master's short side make an added rung redundant.
    static let redundancyFraction = 0.10

    /// - Parameters:
    ///   - planned: the rungs kept so far, largest first.
    ///   - dropped: names of the profile's rungs left out as larger than the master.
    ///   - size: the master's even display size.
    static func make(profile: EncodingProfile, planned: [PlannedRendition], dropped: [String],
                     size: (width: Int, height: Int)) -> PlannedRendition? {
        let shortSide = min(size.width, size.height)
        guard let top = planned.first, !dropped.isEmpty else { return nil }
        let topShort = min(top.width, top.height)
        guard Double(shortSide - topShort) > redundancyFraction * Double(shortSide) else { return nil }
        // The smallest dropped rung above the master: the tier the master's own size stands in for.
        guard let above = profile.renditions.filter({ dropped.contains($0.name) && $0.height > shortSide })
            .min(by: { $0.height < $1.height }) else { return nil }

        let aspect = Double(size.width) * Double(size.height) / Double(shortSide * shortSide)
        func pixels(_ short: Int) -> Double { Double(short) * Double(short) * aspect }
        let low = pixels(topShort), high = pixels(above.height), here = Double(size.width * size.height)
        let t = high > low ? min(max((here - low) / (high - low), 0), 1) : 1
        func interpolate(_ a: Int, _ b: Int) -> Int {
            // Whole kb/s, as profiles write them.
            Int(((Double(a) + t * Double(b - a)) / 1000).rounded()) * 1000
        }
        var spec = above
        spec.name = "\(shortSide)p"
        spec.height = shortSide
        spec.width = nil
        spec.bitrate = interpolate(top.spec.bitrate, above.bitrate)
        spec.maxrate = interpolate(top.spec.maxrate, above.maxrate)
        spec.bufsize = interpolate(top.spec.bufsize, above.bufsize)
        return PlannedRendition(spec: spec, width: size.width, height: size.height)
    }
}

/// A small 8-bit greyscale copy of a frame, the only thing smart-crop analysis looks at.
struct LumaPicture: Sendable, Equatable {
    let width: Int
    let height: Int
    /// Row-major samples, `width * height` of them.
    let samples: [UInt8]

    init(width: Int, height: Int, samples: [UInt8]) {
        precondition(samples.count == width * height, "a \(width)x\(height) picture needs \(width * height) samples")
        self.width = width
        self.height = height
        self.samples = samples
    }

    subscript(x: Int, y: Int) -> Int { Int(samples[y * width + x]) }

    /// Share of the picture's samples in each of `bins` equal brightness bins (they sum to 1).
    func histogram(bins: Int = 32) -> [Double] {
        var counts = [Int](repeating: 0, count: bins)
        for sample in samples { counts[Int(sample) * bins / 256] += 1 }
        let total = Double(max(samples.count, 1))
        return counts.map { Double($0) / total }
    }
}

/// A point in a picture as fractions of its width and height (0…1), so pictures of any size compare.
struct RelativePoint: Sendable, Hashable, Codable {
    var x: Double
    var y: Double
}

@testable import StrataMedia
import Testing

@Suite("Smart-crop camera path")
struct CameraPathTests {
    let fps = 25.0

    /// Saliency of a subject whose centre moves along `xs` (fractions of the width) at height 0.5,
    /// with cuts where `cuts` says.
    func track(_ xs: [Double], cuts: Set<Int> = [], moving: Bool = true) -> [FrameSaliency] {
        xs.enumerated().map { index, x in
            let point = RelativePoint(x: x, y: 0.5)
            return FrameSaliency(motion: moving ? point : nil, detail: point, movingShare: moving ? 0.05 : 0,
                                 histogramChange: cuts.contains(index) ? 1.2 : 0.01)
        }
    }

    func path(_ saliency: [FrameSaliency]) -> CameraPath {
        CameraPath(saliency: saliency, sourceWidth: 640, sourceHeight: 360, width: 202, height: 360, frameRate: fps)
    }

    @Test("the window is the largest of the aspect that fits, even-sized")
    func windowSize() {
        #expect(CameraPath.windowSize(aspect: 9.0 / 16, sourceWidth: 1920, sourceHeight: 1080) == (606, 1080))
        #expect(CameraPath.windowSize(aspect: 1, sourceWidth: 640, sourceHeight: 360) == (360, 360))
        #expect(CameraPath.windowSize(aspect: 16.0 / 9, sourceWidth: 360, sourceHeight: 640) == (360, 202))
    }

    @Test("a static subject gets a static window centred on it, even when its detail flickers inside the dead zone")
    func staticSubject() {
        let still = path(track(Array(repeating: 0.3, count: 100), moving: false))
        #expect(Set(still.windows).count == 1)
        let window = still.windows[0]
        #expect(abs(Double(window.x + window.width / 2) - 0.3 * 640) <= 2)
        let jitter = path(track((0..<100).map { 0.5 + ($0 % 2 == 0 ? 0.02 : -0.02) }))
        #expect(Set(jitter.windows).count == 1, "\(Set(jitter.windows))")
        #expect(still.shotStarts == [0])
    }

    @Test("a moving subject stays inside the window, which pans with bounded speed and acceleration")
    func movingSubject() {
        // 0.1 → 0.9 of the width in 4 s, then still for 2 s.
        let xs = (0..<150).map { min(0.9, 0.1 + 0.8 * Double($0) / 100) }
        let moving = path(track(xs))
        let speedLimit = CameraMotion().maximumSpeed * 202 / fps + 2
        let accelerationLimit = CameraMotion().maximumAcceleration * 202 / (fps * fps) + 4
        var previousStep = 0
        for (index, window) in moving.windows.enumerated() {
            let subject = Int(xs[index] * 640)
            #expect(window.x <= subject && subject <= window.x + window.width, "frame \(index): subject at \(subject), window \(window)")
            if index > 0 {
                let step = window.x - moving.windows[index - 1].x
                #expect(Double(abs(step)) <= speedLimit, "frame \(index) moved \(step) px")
                #expect(Double(abs(step - previousStep)) <= accelerationLimit, "frame \(index) changed speed by \(step - previousStep) px")
                previousStep = step
            }
        }
        // Once the subject stops, so does the camera.
        #expect(Set(moving.windows.suffix(20)).count == 1)
    }

    @Test("the window jumps at a cut and only there")
    func cut() {
        let xs = (0..<100).map { $0 < 50 ? 0.2 : 0.8 }
        let cut = path(track(xs, cuts: [50]))
        #expect(cut.shotStarts == [0, 50])
        #expect(Set(cut.windows[0..<50]).count == 1)
        #expect(Set(cut.windows[50...]).count == 1)
        #expect(cut.windows[50].x - cut.windows[49].x > 300)
    }

    @Test("a subject at the picture's edge is followed only to the edge")
    func edge() {
        let atEdge = path(track(Array(repeating: 0.99, count: 30)))
        #expect(atEdge.windows.allSatisfy { $0.x == 640 - 202 })
    }
}

@Suite("Smart-crop saliency")
struct SaliencyMeasureTests {
    /// A 128×72 picture: a flat grey field, or a busy stripe texture, with a bright 12×12 block at `x`.
    func picture(blockAt x: Int?, busy: Bool = true, base: UInt8 = 100) -> LumaPicture {
        var samples = [UInt8](repeating: base, count: 128 * 72)
        for row in 0..<72 {
            for column in 0..<128 {
                if busy { samples[row * 128 + column] = base &+ UInt8((column / 2 + row / 3) % 2 * 40) }
                if let x, (x..<x + 12).contains(column), (30..<42).contains(row) { samples[row * 128 + column] = UInt8(220 + (column + row) % 3 * 10) }
            }
        }
        return LumaPicture(width: 128, height: 72, samples: samples)
    }

    @Test("motion against the previous frame finds a moving block on a busy static background")
    func motion() throws {
        var measure = SaliencyMeasure()
        _ = measure.measure(picture(blockAt: 20))
        let moved = measure.measure(picture(blockAt: 24))
        let centre = try #require(moved.motion)
        #expect(abs(centre.x * 128 - 30) < 6, "\(centre)")
        #expect(abs(centre.y * 72 - 36) < 4, "\(centre)")
        #expect(moved.histogramChange < 0.1)
    }

    @Test("with nothing moving, the motion centre is absent and detail points at the block")
    func detail() {
        var measure = SaliencyMeasure()
        _ = measure.measure(picture(blockAt: 90, busy: false))
        let still = measure.measure(picture(blockAt: 90, busy: false))
        #expect(still.motion == nil)
        #expect(abs(still.detail.x * 128 - 96) < 6, "\(still.detail)")
    }

    @Test("a change of scene is a histogram jump; a moving subject is not")
    func cuts() {
        var measure = SaliencyMeasure()
        let frames = [picture(blockAt: 10), picture(blockAt: 14), picture(blockAt: 18, busy: false, base: 20), picture(blockAt: 22, busy: false, base: 20)]
            .map { measure.measure($0) }
        #expect(ShotCuts.starts(frames) == [0, 2])
    }
}

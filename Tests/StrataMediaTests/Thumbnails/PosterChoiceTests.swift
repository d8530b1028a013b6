@testable import StrataMedia
import Testing

@Suite("Poster choice: not black, not blurry, the sharpest")
struct PosterChoiceTests {
    /// A 96×54 checkerboard of 8-pixel squares, `dark` and `light`, box-blurred `blur` times.
    static func checkerboard(dark: UInt8 = 40, light: UInt8 = 210, blur: Int = 0) -> [[UInt8]] {
        var rows = (0..<54).map { y in (0..<96).map { x in (x / 8 + y / 8) % 2 == 0 ? dark : light } }
        for _ in 0..<blur { rows = boxBlur(rows) }
        return rows
    }

    static func boxBlur(_ rows: [[UInt8]]) -> [[UInt8]] {
        let height = rows.count, width = rows[0].count
        return (0..<height).map { y in
            (0..<width).map { x in
                var sum = 0, count = 0
                for dy in -1...1 { for dx in -1...1 where (0..<height).contains(y + dy) && (0..<width).contains(x + dx) {
                    sum += Int(rows[y + dy][x + dx])
                    count += 1
                } }
                return UInt8(sum / count)
            }
        }
    }

    /// Near-black with strong grain: very "sharp" by the Laplacian, but still a black frame.
    static func noisyBlack() -> [[UInt8]] {
        var seed: UInt32 = 12345
        return (0..<54).map { _ in
            (0..<96).map { _ in
                seed = seed &* 1_664_525 &+ 1_013_904_223
                return UInt8(seed >> 24) % 30
            }
        }
    }

    @Test("a black frame is blank and loses even to a softer picture, however grainy it is")
    func blackRejected() {
        let black = FrameScore(luma: Self.noisyBlack())
        let soft = FrameScore(luma: Self.checkerboard(blur: 3))
        #expect(black.isBlank)
        #expect(!soft.isBlank)
        #expect(black.sharpness > soft.sharpness, "the grain is what makes this case hard")
        var choice = PosterChoice<String>()
        choice.consider("black", score: black, seconds: 0)
        choice.consider("soft", score: soft, seconds: 1)
        #expect(choice.best?.candidate == "soft")
        #expect(choice.best?.seconds == 1)
    }

    @Test("a flat grey or white frame is blank too")
    func flatRejected() {
        #expect(FrameScore(luma: Array(repeating: Array(repeating: 128, count: 32), count: 18)).isBlank)
        #expect(FrameScore(luma: Array(repeating: Array(repeating: 250, count: 32), count: 18)).isBlank)
        #expect(FrameScore(luma: Array(repeating: Array(repeating: 0, count: 32), count: 18)).sharpness == 0)
    }

    @Test("a blurred copy loses to the sharp picture, in either order")
    func blurryRejected() {
        let sharp = FrameScore(luma: Self.checkerboard())
        let blurred = FrameScore(luma: Self.checkerboard(blur: 2))
        #expect(sharp.sharpness > blurred.sharpness * 2)
        for order in [[("sharp", sharp), ("blurred", blurred)], [("blurred", blurred), ("sharp", sharp)]] {
            var choice = PosterChoice<String>()
            for (index, (name, score)) in order.enumerated() { choice.consider(name, score: score, seconds: Double(index)) }
            #expect(choice.best?.candidate == "sharp")
        }
    }

    @Test("among several candidates the sharpest non-black one wins")
    func sharpestChosen() {
        let candidates: [(String, [[UInt8]])] = [
            ("blur-3", Self.checkerboard(blur: 3)), ("black", Self.noisyBlack()), ("blur-1", Self.checkerboard(blur: 1)),
            ("sharp", Self.checkerboard()), ("blur-2", Self.checkerboard(blur: 2)),
        ]
        var choice = PosterChoice<String>()
        var became: [String] = []
        for (index, (name, luma)) in candidates.enumerated() where choice.consider(name, score: FrameScore(luma: luma), seconds: Double(index)) {
            became.append(name)
        }
        #expect(choice.best?.candidate == "sharp")
        #expect(choice.best?.seconds == 3)
        #expect(became == ["blur-3", "blur-1", "sharp"], "the black frame never became the best")
    }

    @Test("when every candidate is blank the least bad is still chosen")
    func allBlank() {
        var choice = PosterChoice<String>()
        choice.consider("flat", score: FrameScore(luma: Array(repeating: Array(repeating: 0, count: 32), count: 18)), seconds: 0)
        choice.consider("grain", score: FrameScore(luma: Self.noisyBlack()), seconds: 1)
        #expect(choice.best?.candidate == "grain")
    }
}

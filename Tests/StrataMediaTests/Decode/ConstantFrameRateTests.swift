@testable import StrataMedia
import Testing

@Suite("Constant frame rate conversion")
struct ConstantFrameRateTests {
    func convert(_ times: [Double], rate: Double, end: Double) -> [Int] {
        var converter = ConstantFrameRate<Int>(rate: rate)
        var slots: [Int] = []
        for (index, time) in times.enumerated() {
            converter.push(index, seconds: time) { item, slot in
                #expect(slot == slots.count)
                slots.append(item)
            }
        }
        converter.finish(endSeconds: end) { item, slot in
            #expect(slot == slots.count)
            slots.append(item)
        }
        return slots
    }

    @Test("a constant-rate source passes through one to one")
    func passthrough() {
        let times = (0..<10).map { Double($0) / 30 }
        #expect(convert(times, rate: 30, end: 10.0 / 30) == Array(0..<10))
    }

    @Test("gaps repeat the previous frame and bursts drop frames")
    func variable() {
        // Frames at 0, 1, 3 (gap), 3.4 and 3.6 (burst), 5 frame periods.
        let times = [0, 1, 3, 3.4, 3.6, 5].map { $0 / 30 }
        #expect(convert(times, rate: 30, end: 6.0 / 30) == [0, 1, 1, 3, 4, 5])
    }

    @Test("halving the rate keeps every other frame")
    func halve() {
        let times = (0..<8).map { Double($0) / 60 }
        #expect(convert(times, rate: 30, end: 8.0 / 60).count == 4)
    }

    @Test("the last frame fills until the end, and is shown at least once")
    func ending() {
        #expect(convert([0], rate: 30, end: 3.0 / 30) == [0, 0, 0])
        #expect(convert([0, 0.001], rate: 30, end: 0.001) == [1])
    }
}

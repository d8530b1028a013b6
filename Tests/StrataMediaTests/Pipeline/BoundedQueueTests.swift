import Foundation
@testable import StrataMedia
import Testing

@Suite("Bounded queue")
struct BoundedQueueTests {
    final class Tracked: Sendable {}

    @Test("a popped item is released at once: the queue never keeps more than its capacity alive")
    func releasesPopped() {
        let queue = BoundedQueue<Tracked>(capacity: 4)
        weak var first: Tracked?
        do {
            let item = Tracked()
            first = item
            queue.push(item)
        }
        for _ in 0..<3 { queue.push(Tracked()) }
        _ = queue.pop()
        #expect(first == nil, "the first item is still referenced after pop")
    }

    @Test("items come out in order across wrap-around")
    func order() {
        let queue = BoundedQueue<Int>(capacity: 3)
        var out: [Int] = []
        for value in 0..<10 {
            queue.push(value)
            if value % 2 == 1 { out.append(queue.pop()!); out.append(queue.pop()!) }
        }
        queue.finish()
        #expect(out == Array(0..<10))
        #expect(queue.pop() == nil)
    }

    @Test("a full queue blocks the producer until the consumer takes an item")
    func backPressure() async {
        let queue = BoundedQueue<Int>(capacity: 2)
        queue.push(1)
        queue.push(2)
        let pushed = DispatchSemaphore(value: 0)
        Thread {
            queue.push(3)
            pushed.signal()
        }.start()
        #expect(pushed.wait(timeout: .now() + 0.2) == .timedOut, "push returned while the queue was full")
        #expect(queue.pop() == 1)
        #expect(pushed.wait(timeout: .now() + 5) == .success)
    }

    @Test("cancel wakes a blocked producer and a blocked consumer")
    func cancel() {
        let full = BoundedQueue<Int>(capacity: 1)
        full.push(1)
        let empty = BoundedQueue<Int>(capacity: 1)
        let done = DispatchSemaphore(value: 0)
        Thread { #expect(full.push(2) == false); done.signal() }.start()
        Thread { #expect(empty.pop() == nil); done.signal() }.start()
        Thread.sleep(forTimeInterval: 0.05)
        full.cancel()
        empty.cancel()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(done.wait(timeout: .now() + 5) == .success)
    }
}

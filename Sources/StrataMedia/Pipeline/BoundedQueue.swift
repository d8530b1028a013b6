import Foundation

/// A first-in first-out queue of fixed capacity between two pipeline threads.
///
/// `push` blocks while the queue is full (back-pressure: a fast producer waits for a slow consumer
/// instead of buffering without limit); `pop` blocks while it is empty. `finish()` marks the end of
/// input; `cancel()` wakes everyone and makes further pushes fail.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // All state is guarded by `condition`'s lock. A ring buffer: a popped slot is cleared at once,
    // so the queue never keeps more than `capacity` items alive.
    private let condition = NSCondition()
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private var finished = false
    private var cancelled = false

    var capacity: Int { slots.count }

    init(capacity: Int) {
        precondition(capacity > 0, "a queue needs room for at least one item")
        slots = Array(repeating: nil, count: capacity)
    }

    /// Adds `item`, waiting while the queue is full. Returns false if the queue was cancelled (the item is dropped).
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == slots.count && !cancelled {
            condition.wait()
        }
        guard !cancelled else { return false }
        precondition(!finished, "push after finish")
        slots[(head + count) % slots.count] = item
        count += 1
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting while the queue is empty. Returns nil once finished and drained, or cancelled.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !finished && !cancelled {
            condition.wait()
        }
        guard !cancelled, count > 0 else { return nil }
        let item = slots[head]
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        condition.broadcast()
        return item
    }

    /// No more items will be pushed; consumers drain what is left, then `pop` returns nil.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops everything and wakes every waiting thread.
    func cancel() {
        condition.lock()
        cancelled = true
        slots = Array(repeating: nil, count: slots.count)
        count = 0
        condition.broadcast()
        condition.unlock()
    }
}

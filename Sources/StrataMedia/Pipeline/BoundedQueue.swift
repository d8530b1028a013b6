import Foundation

/// A first-in first-out queue of fixed capacity between two pipeline threads.
///
/// `push` blocks while the queue is full (back-pressure: a fast producer waits for a slow consumer
/// instead of buffering without limit); `pop` blocks while it is empty. `finish()` marks the end of
/// input; `cancel()` wakes everyone and makes further pushes fail.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // All state is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var finished = false
    private var cancelled = false
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "a queue needs room for at least one item")
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    /// Adds `item`, waiting while the queue is full. Returns false if the queue was cancelled (the item is dropped).
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled {
            condition.wait()
        }
        guard !cancelled else { return false }
        precondition(!finished, "push after finish")
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting while the queue is empty. Returns nil once finished and drained, or cancelled.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished && !cancelled {
            condition.wait()
        }
        guard !cancelled, head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
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
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}

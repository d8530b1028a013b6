import Foundation

/// A dedicated OS thread running one pipeline stage.
///
/// Stages call into FFmpeg and block on queues, so they run on their own threads rather than on
/// Swift's cooperative pool (which has one thread per core and must never block).
final class StageThread: Sendable {
    private let done = DispatchSemaphore(value: 0)
    let name: String

    /// Starts `body` on a new thread. The closure and whatever it captures now belong to that thread.
    init(name: String, stackSize: Int = 16 << 20, _ body: sending @escaping () -> Void) {
        self.name = name
        let work = ThreadBody(body)
        let done = self.done
        let thread = Thread {
            work.run()
            done.signal()
        }
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }

    /// Waits for the stage to return.
    func join() {
        done.wait()
        done.signal()
    }

    /// Waits up to `seconds`; true when the stage has returned.
    func join(timeout seconds: Double) -> Bool {
        guard done.wait(timeout: .now() + seconds) == .success else { return false }
        done.signal()
        return true
    }
}

/// Carries a `sending` closure onto the thread that runs it. The compiler has checked at the call site
/// that nothing the closure captured is used by the caller afterwards, so handing it over is safe.
private final class ThreadBody: @unchecked Sendable {
    private let body: () -> Void
    init(_ body: sending @escaping () -> Void) { self.body = body }
    func run() { body() }
}

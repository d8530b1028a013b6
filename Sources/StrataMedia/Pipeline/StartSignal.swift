import Foundation
import Synchronization

/// A one-shot value every stage thread waits for before it starts: the common presentation offset,
/// known only once all encoders are open, or the error that stopped setup.
final class StartSignal: Sendable {
    private let value = Mutex<Result<Int64, TranscodeError>?>(nil)
    private let opened = DispatchSemaphore(value: 0)

    /// Releases every waiter with `result`.
    func open(_ result: Result<Int64, TranscodeError>) {
        value.withLock { $0 = result }
        opened.signal()
    }

    /// Blocks until `open` is called, then returns its result.
    func wait() -> Result<Int64, TranscodeError> {
        opened.wait()
        opened.signal()
        return value.withLock { $0! }
    }
}

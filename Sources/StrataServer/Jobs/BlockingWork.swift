import Foundation

/// Runs blocking work (a transcode waits on its stage threads for minutes) on a thread of its own,
/// never on Swift's cooperative pool, and awaits its result.
enum BlockingWork {
    static func run<Value: Sendable, Failure: Error>(
        _ name: String, _ body: @escaping @Sendable () throws(Failure) -> Value
    ) async -> Result<Value, Failure> {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result(catching: body))
            }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

import NIOCore
import Synchronization

/// One connection's hand-off from response bodies (running in a task) to `FileRegionWriter` (on the
/// connection's event loop): the file regions of zero-copy responses, in response order. It owns every
/// queued file and closes what was never sent when the connection goes away.
final class FileRegionQueue: Sendable {
    /// The queue of the connection whose request the current task is answering; nil where the connection
    /// cannot take file regions (Hummingbird's in-process test server, a body that must be transformed).
    @TaskLocal static var current: FileRegionQueue?

    private struct State {
        var regions: [FileRegion] = []
        var closed = false
    }

    private let state = Mutex(State())

    /// Queues `region` as the body of the connection's next marked response; closes its file and throws when
    /// the connection is already gone.
    func enqueue(_ region: FileRegion) throws {
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.regions.append(region)
            return true
        }
        guard accepted else {
            try? region.fileHandle.close()
            throw ChannelError.ioOnClosedChannel
        }
    }

    /// The oldest queued region, now owned by the caller (the writer closes it once it is sent).
    func next() -> FileRegion? {
        state.withLock { state in state.regions.isEmpty ? nil : state.regions.removeFirst() }
    }

    /// The connection is gone: close every file still queued and refuse new ones.
    func close() {
        let abandoned = state.withLock { state in
            state.closed = true
            defer { state.regions = [] }
            return state.regions
        }
        for region in abandoned { try? region.fileHandle.close() }
    }
}

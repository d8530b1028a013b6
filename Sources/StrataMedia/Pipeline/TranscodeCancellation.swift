import Synchronization

/// Lets another thread (a signal handler, an HTTP request) stop a running transcode.
public final class TranscodeCancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, control: PipelineControl?)>((false, nil))

    public init() {}

    /// Stops the transcode; its output folder is not created.
    public func cancel() {
        let control = state.withLock { state -> PipelineControl? in
            state.cancelled = true
            return state.control
        }
        control?.stop(TranscodeError(.cancelled, "the transcode was cancelled"))
    }

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    func attach(_ control: PipelineControl) {
        let cancelled = state.withLock { state -> Bool in
            state.control = control
            return state.cancelled
        }
        if cancelled { control.stop(TranscodeError(.cancelled, "the transcode was cancelled")) }
    }
}

import Foundation
import Synchronization

/// State shared by the threads of one transcode: cancellation, the first failure, and progress counters.
final class PipelineControl: Sendable {
    private struct State {
        var failure: TranscodeError?
        var cancellers: [@Sendable () -> Void] = []
        var renditionFrames: [Int]
        var audioSeconds: Double = 0
        var videoEndSeconds: Double?
        var videoDecodedSeconds: Double = 0
    }

    private let state: Mutex<State>
    /// Wakes stages waiting for the video to advance (sidecar audio must not run far ahead of it).
    private let videoProgress = NSCondition()

    init(renditionCount: Int) {
        state = Mutex(State(renditionFrames: Array(repeating: 0, count: renditionCount)))
    }

    /// True once any stage failed or someone cancelled.
    var isStopped: Bool { state.withLock { $0.failure != nil } }

    /// The reason the pipeline stopped, if it did.
    var failure: TranscodeError? { state.withLock { $0.failure } }

    /// Registers a way to wake a stage blocked on a queue, run when the pipeline stops.
    func onStop(_ cancel: @escaping @Sendable () -> Void) {
        let stoppedAlready = state.withLock { state in
            state.cancellers.append(cancel)
            return state.failure != nil
        }
        if stoppedAlready { cancel() }
    }

    /// Stops the pipeline with `error`, unless it already stopped; wakes every blocked stage.
    func stop(_ error: TranscodeError) {
        let cancellers = state.withLock { state -> [@Sendable () -> Void] in
            guard state.failure == nil else { return [] }
            state.failure = error
            return state.cancellers
        }
        for cancel in cancellers { cancel() }
        signalVideoProgress()
    }

    func frameEncoded(rendition: Int) {
        state.withLock { $0.renditionFrames[rendition] += 1 }
    }

    func audioEncoded(seconds: Double) {
        state.withLock { $0.audioSeconds = seconds }
    }

    /// Frames done by the slowest rendition.
    var slowestRenditionFrames: Int { state.withLock { $0.renditionFrames.min() ?? 0 } }

    /// Seconds of audio encoded so far.
    var audioSeconds: Double { state.withLock { $0.audioSeconds } }

    /// Records that the source has handed out video up to `seconds`.
    func videoDecoded(seconds: Double) {
        state.withLock { $0.videoDecodedSeconds = seconds }
        signalVideoProgress()
    }

    /// Blocks until the video has been handed out past `seconds`, its end is known, or the pipeline stopped.
    func waitForVideo(beyond seconds: Double) {
        videoProgress.lock()
        defer { videoProgress.unlock() }
        while state.withLock({ $0.videoDecodedSeconds <= seconds && $0.videoEndSeconds == nil && $0.failure == nil }) {
            // Timed, so a wake-up between the check and the wait costs at most this long.
            _ = videoProgress.wait(until: Date().addingTimeInterval(0.1))
        }
    }

    private func signalVideoProgress() {
        videoProgress.lock()
        videoProgress.broadcast()
        videoProgress.unlock()
    }

    /// How far the source has handed out video, in seconds; audio is not encoded past it until the end is known.
    var videoDecodedSeconds: Double { state.withLock { $0.videoDecodedSeconds } }

    /// The video's length once the source has read everything; audio is cut or padded to it.
    var videoEndSeconds: Double? {
        get { state.withLock { $0.videoEndSeconds } }
        set {
            state.withLock { $0.videoEndSeconds = newValue }
            signalVideoProgress()
        }
    }
}

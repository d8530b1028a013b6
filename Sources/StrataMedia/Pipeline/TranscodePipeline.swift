import FFmpegBridge
import Foundation
import Logging
import StrataManifest
import StrataProfiles
import Synchronization

/// The running stages of one transcode and the threads they run on.
///
/// Stages are created one by one on the calling thread (so setup errors surface at once), each handed
/// to its own thread where it waits for the start signal: the common presentation offset, known only
/// once every encoder is open. `run` then waits for all of them, reporting progress.
final class TranscodePipeline {
    let control: PipelineControl
    private let start = StartSignal()
    private let results = StageResults()
    private var threads: [StageThread] = []
    private var reorderDelays: [Int] = []
    private var audioPriming: [Double] = []
    private var started = false
    private let frameRate: Rational
    let logger: Logger
    /// Hears about every track and segment as it is finished (a progressive package), if anyone listens.
    var listener: (any PackageListener)?

    init(renditions: Int, frameRate: Rational, cancellation: TranscodeCancellation?, logger: Logger) {
        control = PipelineControl(renditionCount: renditions)
        cancellation?.attach(control)
        self.frameRate = frameRate
        self.logger = logger
    }

    deinit {
        // Never leave a thread waiting for a start that will not come.
        if !started { start.open(.failure(control.failure ?? TranscodeError(.encoding, "setup failed"))) }
    }

    /// For adding tracks to a finished package: the video is all there already, `endSeconds` long.
    func videoAlreadyPackaged(endSeconds: Double) {
        control.videoDecoded(seconds: .infinity)
        control.videoEndSeconds = endSeconds
    }

    /// A queue registered so that stopping the pipeline wakes whoever waits on it.
    func queue<Element: Sendable>(capacity: Int) -> BoundedQueue<Element> {
        let queue = BoundedQueue<Element>(capacity: capacity)
        control.onStop { queue.cancel() }
        return queue
    }

    func addVideo(_ stage: sending VideoRenditionStage, reorderDelay: Int, index: Int) {
        reorderDelays.append(reorderDelay)
        spawn("strata.video.\(index)") { [control, results] offsetFrames in
            results.add(video: try stage.run(presentationOffset: offsetFrames, control: control), at: index)
        }
    }

    /// A smart-crop rung: encoded like a ladder rung, its facts kept apart under its crop.
    func addCropVideo(_ stage: sending VideoRenditionStage, reorderDelay: Int, crop: Int, rung: Int) {
        reorderDelays.append(reorderDelay)
        spawn("strata.crop.\(crop).\(rung)") { [control, results] offsetFrames in
            results.add(crop: try stage.run(presentationOffset: offsetFrames, control: control), crop: crop, rung: rung)
        }
    }

    /// - Parameter primingSeconds: the encoder's priming (samples before the first real one), in seconds.
    func addAudio(_ stage: sending AudioTrackStage, primingSeconds: Double, sampleRate: Int, index: Int) {
        audioPriming.append(primingSeconds)
        spawn("strata.audio.\(index)") { [results, frameRate] offsetFrames in
            let offsetSamples = Int64((Double(offsetFrames) / frameRate.doubleValue * Double(sampleRate)).rounded())
            results.add(audio: try stage.run(presentationOffset: offsetSamples), at: index)
        }
    }

    func addSidecarReader(_ reader: sending SidecarAudioSource, index: Int) {
        spawn("strata.sidecar.\(index)") { [control] _ in try reader.run(control: control) }
    }

    func addThumbnails(_ stage: sending ThumbnailStage) {
        spawn("strata.thumbnails") { [control, results] _ in results.add(thumbnails: try stage.run(control: control)) }
    }

    func addSource(_ source: sending SourceStage) {
        spawn("strata.source") { [results] _ in results.add(captions: try source.run()) }
    }

    private func spawn(_ name: String, _ body: sending @escaping (Int64) throws -> Void) {
        threads.append(StageThread(name: name) { [control, start] in
            do {
                try body(try start.wait().get())
            } catch {
                control.stop(Transcoder.describe(error))
            }
        })
    }

    /// Starts every stage and waits for them. Every track starts at the same presentation time: late
    /// enough that no decoding timestamp (B-frame reordering) and no audio priming falls at or before
    /// zero — or, when adding tracks to a package, the offset its video already has (`fixedOffset`, in frames).
    /// - Parameter fromSeconds: where the decoded range starts (a chunk's first frame), so that progress measures
    ///   the range's own length once the video's end is known.
    func run(totalSeconds: Double, startedAt: Date, fixedOffset: Int64? = nil, fromSeconds: Double = 0,
             progress: ((TranscodeProgress) -> Void)?) throws -> StageResults {
        let primingFrames = TranscodePipeline.frames(covering: audioPriming, frameRate: frameRate)
        let offset = fixedOffset ?? TranscodePipeline.presentationOffset(reorderDelays: reorderDelays, primingSeconds: audioPriming,
                                                                         frameRate: frameRate)
        if fixedOffset != nil, Int64(primingFrames) > offset {
            throw TranscodeError(.unsupported, "the package's video starts too early to fit the AAC encoder's priming; re-transcode it to add audio")
        }
        started = true
        start.open(.success(offset))
        for thread in threads {
            while !thread.join(timeout: 0.5) {
                progress?(measure(totalSeconds: totalSeconds, startedAt: startedAt))
            }
        }
        if let failure = control.failure { throw failure }
        progress?(measure(totalSeconds: control.videoEndSeconds.map { $0 - fromSeconds } ?? totalSeconds, startedAt: startedAt))
        return results
    }

    /// The frames every track's timestamps start after: enough for the deepest B-frame reordering and the longest
    /// AAC priming, plus one, so that every track's first decode time (`tfdt`) is above zero:
    /// VHS 1.x (Video.js) reads a baseMediaDecodeTime of 0 as "missing" and takes the next fragment's.
    static func presentationOffset(reorderDelays: [Int], primingSeconds: [Double], frameRate: Rational) -> Int64 {
        Int64(max(reorderDelays.max() ?? 0, frames(covering: primingSeconds, frameRate: frameRate)) + 1)
    }

    /// Whole frames covering the longest of `seconds`.
    private static func frames(covering seconds: [Double], frameRate: Rational) -> Int {
        seconds.map { Int(($0 * frameRate.doubleValue).rounded(.up)) }.max() ?? 0
    }

    private func measure(totalSeconds: Double, startedAt: Date) -> TranscodeProgress {
        let elapsed = max(Date().timeIntervalSince(startedAt), 0.001)
        let frames = control.slowestRenditionFrames
        let encoded = Double(frames) / frameRate.doubleValue
        let total = max(totalSeconds, encoded)
        let speed = encoded / elapsed
        return TranscodeProgress(
            fraction: total > 0 ? min(1, encoded / total) : 0, encodedSeconds: encoded, totalSeconds: total,
            framesPerSecond: Double(frames) / elapsed, speed: speed,
            secondsRemaining: speed > 0 && total > 0 ? (total - encoded) / speed : nil)
    }
}

/// Facts handed back by stage threads.
final class StageResults: Sendable {
    private let video = Mutex<[Int: VideoTrackFacts]>([:])
    private let audio = Mutex<[Int: AudioTrackFacts]>([:])
    private let captions = Mutex<[Int: [Cue]]>([:])
    private let stills = Mutex<ThumbnailFacts?>(nil)
    private let crops = Mutex<[Int: [Int: VideoTrackFacts]]>([:])

    func add(video facts: VideoTrackFacts, at index: Int) { video.withLock { $0[index] = facts } }
    func add(audio facts: AudioTrackFacts, at index: Int) { audio.withLock { $0[index] = facts } }
    func add(captions cues: [Int: [Cue]]) { captions.withLock { $0 = cues } }
    func add(thumbnails facts: ThumbnailFacts) { stills.withLock { $0 = facts } }
    func add(crop facts: VideoTrackFacts, crop: Int, rung: Int) { crops.withLock { $0[crop, default: [:]][rung] = facts } }

    var videoTracks: [VideoTrackFacts] { video.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
    var audioTracks: [AudioTrackFacts] { audio.withLock { $0.sorted { $0.key < $1.key }.map(\.value) } }
    /// Cues of the master's subtitle streams, by stream index.
    var masterCaptions: [Int: [Cue]] { captions.withLock { $0 } }
    var thumbnails: ThumbnailFacts? { stills.withLock { $0 } }
    /// The rungs of crop `crop`, in plan order.
    func cropTracks(_ crop: Int) -> [VideoTrackFacts] { crops.withLock { ($0[crop] ?? [:]).sorted { $0.key < $1.key }.map(\.value) } }
}

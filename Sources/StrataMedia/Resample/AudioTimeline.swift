import FFmpegBridge

/// Places decoded audio on the presentation clock: pads with silence or drops samples so the
/// track starts in sync with the video (within one sample), and fills gaps in the source.
struct AudioTimeline {
    let sampleRate: Int
    /// Samples still to discard from the front (audio that starts before the video).
    private(set) var pendingDrop = 0
    /// Samples placed so far, silence and drops included.
    private(set) var position: Int64 = 0
    private var started = false

    /// A gap this long between where a frame belongs and where the audio has reached is filled with silence.
    static let gapThresholdSeconds = 0.1

    init(sampleRate: Int) {
        self.sampleRate = sampleRate
    }

    /// Silence to insert before a decoded frame that belongs at `seconds` on the presentation clock
    /// (negative: before zero) and lasts `frameSamples` output samples. Updates the drop count.
    mutating func silenceBefore(frameAt seconds: Double?, frameSamples: Int) -> Int {
        var silence = 0
        if let seconds {
            let target = Int64((seconds * Double(sampleRate)).rounded())
            if !started {
                if target > 0 { silence = Int(target) } else { pendingDrop = Int(-target) }
                position = target < 0 ? target : 0
            } else if Double(target - position) > AudioTimeline.gapThresholdSeconds * Double(sampleRate) {
                silence = Int(target - position)
            }
        }
        started = true
        position += Int64(silence + frameSamples)
        return silence
    }

    /// Takes `available` samples into account against the pending drop; returns how many to drop now.
    mutating func drop(from available: Int) -> Int {
        let count = min(available, pendingDrop)
        pendingDrop -= count
        return count
    }
}

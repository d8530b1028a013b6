import FFmpegBridge
import Foundation
import Logging
import StrataProfiles

/// Adding audio tracks to a pipeline: the AAC encoder, the stage on its thread and, for a sidecar,
/// the thread reading its file. Shared by transcodes and by adding tracks to a finished package.
extension TranscodePipeline {
    /// How far (seconds) a sidecar audio file is decoded ahead of the video.
    static let sidecarLead = 5.0

    /// Adds a track whose packets arrive on `queue` from `parameters`' stream.
    func addAudioTrack(_ label: AudioTrackLabel, parameters: CodecParameters, queue: BoundedQueue<Packet>, origin: Double,
                       maxLead: Double?, audio: AudioSpec, boundaries: SegmentBoundaries, root: URL, index: Int) throws {
        let settings = AudioEncoderSettings(encoderName: "aac", sampleRate: audio.sampleRate, channels: audio.channels, bitRate: audio.bitrate)
        let encoder: Encoder
        do {
            encoder = try Encoder(audio: settings)
        } catch {
            throw TranscodeError(.encoding, "cannot open the AAC encoder: \(error.message)")
        }
        let priming = Double(encoder.initialPadding) / Double(settings.sampleRate)
        let directory = "audio/\(label.id)"
        let stage = try AudioTrackStage(
            label: label, parameters: parameters, input: queue, encoder: encoder, sampleRate: settings.sampleRate,
            channels: settings.channels, boundaries: boundaries, origin: origin, maxLead: maxLead,
            directory: root.appendingPathComponent(directory), relativeDirectory: directory, control: control, logger: logger,
            index: index, listener: listener)
        addAudio(stage, primingSeconds: priming, sampleRate: settings.sampleRate, index: index)
    }

    /// Adds a track read from a sidecar file, which plays from presentation time zero.
    func addSidecarAudioTrack(_ label: AudioTrackLabel, sidecar: SidecarAudio, capacity: Int, audio: AudioSpec,
                              boundaries: SegmentBoundaries, root: URL, index: Int) throws {
        let queue: BoundedQueue<Packet> = self.queue(capacity: capacity)
        let opened = try SidecarAudioSource.open(sidecar)
        let parameters = try opened.file.codecParameters(stream: opened.stream.index)
        let origin = opened.stream.startTime ?? 0
        addSidecarReader(SidecarAudioSource(file: opened.file, streamIndex: opened.stream.index, queue: queue,
                                            description: "sidecar audio '\(sidecar.path)'"), index: index)
        try addAudioTrack(label, parameters: parameters, queue: queue, origin: origin, maxLead: TranscodePipeline.sidecarLead,
                          audio: audio, boundaries: boundaries, root: root, index: index)
    }
}

import FFmpegBridge

/// Reads a sidecar audio file's packets on its own thread and hands them, still compressed, to its audio stage.
final class SidecarAudioSource {
    private let file: InputFile
    private let streamIndex: Int
    private let queue: BoundedQueue<Packet>
    private let description: String

    /// Opens `sidecar` and checks it has audio FFmpeg can read; errors call it `displayName` (default: its path).
    static func open(_ sidecar: SidecarAudio, displayName: String? = nil) throws(TranscodeError) -> (file: InputFile, stream: StreamDescription) {
        let what = "sidecar audio '\(displayName ?? sidecar.path)' (\(sidecar.language))"
        do {
            _ = try MasterProbe.checkFile(sidecar.path)
        } catch {
            throw TranscodeError(.invalidSidecar, error.message.replacingOccurrences(of: "master", with: what))
        }
        let file: InputFile
        do {
            file = try InputFile(path: sidecar.path)
        } catch {
            throw TranscodeError(.invalidSidecar, "\(what) is not a media file FFmpeg can read: \(error.message)")
        }
        guard let stream = file.info.streams.first(where: { $0.kind == .audio }).map(StreamDescription.init) else {
            throw TranscodeError(.invalidSidecar, "\(what) has no audio stream")
        }
        return (file, stream)
    }

    init(file: InputFile, streamIndex: Int, queue: BoundedQueue<Packet>, description: String) {
        self.file = file
        self.streamIndex = streamIndex
        self.queue = queue
        self.description = description
        file.selectStreams([streamIndex])
    }

    func run(control: PipelineControl) throws {
        while !control.isStopped {
            let packet = try Packet()
            do {
                guard try file.read(into: packet) else { break }
            } catch {
                throw TranscodeError(.invalidSidecar, "\(description) is truncated or damaged: \(error.message)")
            }
            if packet.streamIndex == streamIndex { queue.push(packet) }
        }
        queue.finish()
    }
}

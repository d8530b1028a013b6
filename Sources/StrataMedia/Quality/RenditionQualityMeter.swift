import FFmpegBridge
import Foundation
import Logging
import StrataManifest

/// Measures every rendition of a finished package against the master scaled to that rendition's size.
///
/// Runs after encoding, on what players will get: each rendition is read back from its init and media
/// segments and decoded, the master is decoded once more and scaled exactly as for encoding, and
/// libavfilter's `psnr` and `ssim` filters compare the pairs picture by picture.
enum RenditionQualityMeter {
    /// `video` with `quality` filled in for every rendition of `plan`.
    static func measure(masterPath: String, plan: LadderPlan, scaling: ScalingFilter, video: [VideoTrackFacts],
                        root: URL, logger: Logger) throws -> [VideoTrackFacts] {
        var readers: [RenditionReader] = []
        var pictures: [RenditionPicture] = []
        var comparisons: [PictureComparison] = []
        for track in video {
            readers.append(try RenditionReader(track: track, root: root))
            pictures.append(try RenditionPicture(width: track.width, height: track.height, rotation: plan.rotation, filter: scaling))
            comparisons.append(try PictureComparison(width: track.width, height: track.height))
        }
        try MasterFrameReader.forEach(masterPath: masterPath, frameRate: plan.frameRate, logger: logger) { item in
            for index in video.indices {
                guard let picture = try readers[index].next() else {
                    throw TranscodeError(.encoding, "rendition \(video[index].id) has fewer pictures than the master (\(item.number))")
                }
                try comparisons[index].compare(picture, with: try pictures[index].make(from: item.frame))
            }
        }
        var measured = video
        for index in video.indices {
            let quality = try comparisons[index].finish()
            measured[index].quality = QualityFacts(frames: quality.frames, psnr: quality.psnr, psnrY: quality.psnrY,
                                                   ssim: quality.ssim, ssimY: quality.ssimY)
            logger.info("measured quality", metadata: [
                "rendition": "\(video[index].id)", "psnr": "\(measured[index].quality!.psnr)", "ssim": "\(measured[index].quality!.ssim)"])
        }
        return measured
    }
}

/// Decodes one rendition of a package from its init segment and media segments, read as one stream.
final class RenditionReader {
    private let file: InputFile
    private let decoder: Decoder
    private let list: URL
    private var ready: [Frame] = []
    private var ended = false

    init(track: VideoTrackFacts, root: URL) throws {
        let directory = root.appendingPathComponent(track.timeline.directory)
        let files = [track.timeline.initialization] + track.timeline.segments.map(\.file)
        // FFmpeg's concatf protocol reads the files named one per line as one byte stream: init + fragments.
        list = FileManager.default.temporaryDirectory.appendingPathComponent("strata-rendition-\(UUID().uuidString).txt")
        try files.map { directory.appendingPathComponent($0).path }.joined(separator: "\n")
            .write(to: list, atomically: true, encoding: .utf8)
        do {
            file = try InputFile(path: "concatf:" + list.path)
            decoder = try Decoder(parameters: try file.codecParameters(stream: 0), threads: 0)
        } catch {
            try? FileManager.default.removeItem(at: list)
            throw TranscodeError(.encoding, "cannot read back rendition \(track.id) to measure it: \(error)")
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: list)
    }

    /// The next picture in presentation order, or nil after the last.
    func next() throws -> Frame? {
        while ready.isEmpty && !ended {
            let packet = try Packet()
            if try file.read(into: packet) {
                try decoder.decode(packet) { ready.append($0) }
            } else {
                try decoder.decode(nil) { ready.append($0) }
                ended = true
            }
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }
}

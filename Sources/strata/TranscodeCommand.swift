import ArgumentParser
import Foundation
import StrataManifest
import StrataMedia
import StrataProfiles

struct TranscodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Transcode a master into a CMAF ladder with an HLS master playlist and a DASH MPD.",
        discussion: """
            Writes OUTPUT/master.m3u8, OUTPUT/manifest.mpd and every segment under OUTPUT. The package is built in a \
            hidden sibling folder and renamed into place only when complete: a failed or interrupted run leaves no \
            OUTPUT folder. Ctrl-C stops cleanly.

            With --progressive the package is written in place instead, for a web server to serve while it grows: \
            each segment appears when complete, and the playlists are EVENT playlists (the MPD dynamic) listing \
            the segments every track has finished, until they become the final VOD playlists and static MPD. \
            A failed run leaves the segments written so far.
            """
    )

    @Argument(help: "The master video file (MP4, MOV, MKV, …).")
    var master: String

    @Option(name: .long, help: ArgumentHelp("A profile name from the profiles folder, or a profile file path.", valueName: "name-or-path"))
    var profile = "default"

    @Option(name: [.short, .long], help: ArgumentHelp("The package folder to create.", valueName: "dir"))
    var output: String

    @Flag(name: .long, help: "Replace OUTPUT if it already exists (atomically, once the new package is complete).")
    var overwrite = false

    @Flag(name: .long, help: "Write OUTPUT in place while transcoding, playable from its first segment (EVENT playlists, dynamic MPD, then the final ones). Implies --fast-start.")
    var progressive = false

    @Flag(name: .long, help: "Make the first segment one GOP long (the rest of the first full segment follows), so players start sooner.")
    var fastStart = false

    @Flag(name: .long, help: "Print a JSON summary on stdout: renditions with size, codecs, measured peak and average bit rates, segment counts, quality and per-title decisions when measured; wall time.")
    var json = false

    @Flag(name: .long, help: "Measure every rendition's PSNR and SSIM against the master scaled to its size (always on in per-title mode); shown in --json and package.json.")
    var measureQuality = false

    @Option(name: .customLong("audio"), help: ArgumentHelp(
        "Add an audio track from a file: LANG[:ROLE]=FILE, ROLE one of main, dub, description, commentary (repeatable).",
        valueName: "lang[:role]=file"))
    var sidecarAudio: [String] = []

    @Option(name: .customLong("captions"), help: ArgumentHelp(
        "Add captions from an .srt or .vtt file: LANG[:sdh|:forced]=FILE (repeatable).", valueName: "lang[:kind]=file"))
    var sidecarCaptions: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Set the role of one of the master's audio streams (index as 'strata probe' shows it): STREAM=ROLE, e.g. 3=description (repeatable).",
        valueName: "stream=role"))
    var audioRole: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Use this camera path for a smart crop instead of analysing the master: NAME=FILE, FILE a path.json as Strata writes it, perhaps edited (repeatable).",
        valueName: "name=file"))
    var cropPath: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Cut the master into chunks of N segments and encode them one after another, each from the keyframe before it, as the workers of a cluster would side by side; then encode the audio whole and join. For checking and timing chunked encoding on one machine; the package is the same as without it.",
        valueName: "n"))
    var chunkSegments: Int?

    @Option(name: .long, help: ArgumentHelp("libx264 threads per H.264 rendition (0: libx264 decides; default: the cores shared between renditions, at least 2). x265 and SVT-AV1 size their own thread pools.", valueName: "n"))
    var encoderThreads: Int?

    @Option(name: .long, help: ArgumentHelp("Decoded frames buffered per rendition.", valueName: "n"))
    var frameQueue = PipelineTuning().framesPerRenditionQueue

    @OptionGroup var location: ProfileLocation
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (encoderThreads ?? 0) >= 0 else { throw ValidationError("--encoder-threads must be 0 or more") }
        guard frameQueue >= 1 else { throw ValidationError("--frame-queue must be at least 1") }
        if let chunkSegments {
            guard chunkSegments >= 1 else { throw ValidationError("--chunk-segments must be at least 1") }
            guard !progressive else { throw ValidationError("--chunk-segments cannot be combined with --progressive") }
        }
    }

    func run() throws {
        let logger = logging.bootstrap(label: "strata.transcode")
        let encodingProfile: EncodingProfile
        do {
            encodingProfile = try location.library.resolve(profile)
        } catch {
            throw fail(error.description, status: ExitStatus.configuration)
        }
        var tuning = PipelineTuning()
        tuning.encoderThreads = encoderThreads
        tuning.framesPerRenditionQueue = frameQueue
        var request = TranscodeRequest(masterPath: master, profile: encodingProfile,
                                       outputDirectory: URL(fileURLWithPath: output), overwrite: overwrite, tuning: tuning)
        request.measureQuality = measureQuality
        request.output = progressive ? .progressive(resume: false) : .atomic
        request.fastStart = fastStart
        do throws(TranscodeError) {
            for text in sidecarAudio { request.sidecarAudio.append(try TrackOption.audio(text)) }
            for text in sidecarCaptions { request.sidecarCaptions.append(try TrackOption.captions(text)) }
            request.audioRoles = try TrackOption.roles(audioRole)
            for text in cropPath {
                let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw TranscodeError(.invalidSidecar, "--crop-path \(text): expected NAME=FILE, e.g. vertical=path.json")
                }
                request.cropPaths[parts[0]] = URL(fileURLWithPath: parts[1])
            }
        } catch {
            throw fail(error.message, status: 64)
        }

        let cancellation = TranscodeCancellation()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { cancellation.cancel() }
        defer { signals.stop() }

        var bar = ProgressBar()
        let showBar = ProgressBar.isAvailable && !logging.verbose
        let report: TranscodeReport
        do {
            if let chunkSegments {
                report = try ChunkedTranscoder(logger: logger).runHere(request, segmentsPerChunk: chunkSegments, cancellation: cancellation) { progress in
                    if showBar { bar.draw(progress) }
                }.0
            } else {
                report = try Transcoder(logger: logger).run(request, cancellation: cancellation) { progress in
                    if showBar { bar.draw(progress) }
                }
            }
            bar.clear()
        } catch {
            bar.clear()
            throw fail(error.message, status: ExitStatus.forCode(error.code))
        }
        if json {
            try printJSON(report)
        } else {
            let rungs = report.renditions.map { "\($0.name) \($0.width)x\($0.height) \(BitRate.format($0.averageBitRate / 1000 * 1000))" }
            print("wrote \(report.output) (\(String(format: "%.1f", report.duration)) s) in \(String(format: "%.1f", report.wallSeconds)) s: \(rungs.joined(separator: ", "))")
            print("  HLS:  \(report.output)/master.m3u8")
            print("  DASH: \(report.output)/manifest.mpd")
            for crop in report.crops ?? [] {
                let rungs = crop.renditions.map { "\($0.name) \($0.width)x\($0.height)" }.joined(separator: ", ")
                print("  crop \(crop.name) (\(crop.aspect)): \(report.output)/\(crop.hls), \(report.output)/\(crop.dash); \(rungs)")
            }
        }
    }
}

/// Parses `--audio`, `--captions` and `--audio-role` values.
enum TrackOption {
    /// `LANG[:ROLE]=FILE`.
    static func audio(_ text: String) throws(TranscodeError) -> SidecarAudio {
        let (language, qualifier, path) = try split(text, option: "--audio", example: "es:dub=spanish.m4a")
        guard let role = qualifier.map({ AudioRole(rawValue: $0) }) ?? .main else {
            throw TranscodeError(.invalidSidecar, "--audio \(text): the role must be one of \(AudioRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try SidecarAudio(path: path, language: language, role: role)
    }

    /// `LANG[:sdh|:forced]=FILE`.
    static func captions(_ text: String) throws(TranscodeError) -> SidecarCaptions {
        let (language, qualifier, path) = try split(text, option: "--captions", example: "en:sdh=english.srt")
        guard let kind = qualifier.map({ $0 == "sdh" || $0 == "forced" ? SubtitleKind(rawValue: $0) : nil }) ?? .subtitles else {
            throw TranscodeError(.invalidSidecar, "--captions \(text): the kind must be sdh or forced (or nothing for plain subtitles)")
        }
        return try SidecarCaptions(path: path, language: language, kind: kind)
    }

    /// `STREAM=ROLE`, repeated.
    static func roles(_ values: [String]) throws(TranscodeError) -> [Int: AudioRole] {
        var roles: [Int: AudioRole] = [:]
        for text in values {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let stream = Int(parts[0]), let role = AudioRole(rawValue: parts[1]) else {
                throw TranscodeError(.invalidSidecar, "--audio-role \(text): expected STREAM=ROLE, e.g. 3=description, with ROLE one of \(AudioRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles[stream] = role
        }
        return roles
    }

    private static func split(_ text: String, option: String, example: String) throws(TranscodeError) -> (String, String?, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw TranscodeError(.invalidSidecar, "\(option) \(text): expected LANG[:KIND]=FILE, e.g. \(example)")
        }
        let spec = text[..<equals].split(separator: ":", maxSplits: 1).map(String.init)
        return (spec[0], spec.count > 1 ? spec[1] : nil, String(text[text.index(after: equals)...]))
    }
}

/// Runs a handler when the process receives one of `signals`, instead of dying at once.
final class SignalWatcher {
    private let sources: [DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        unblockTerminationSignals()
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func stop() {
        for source in sources { source.cancel() }
    }
}

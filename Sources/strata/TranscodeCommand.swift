import ArgumentParser
import Foundation
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

    @Flag(name: .long, help: "Print a JSON summary on stdout: renditions with size, codecs, measured peak and average bit rates, segment counts; wall time.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("libx264 threads per rendition (0: libx264 decides; default: the cores shared between renditions, at least 2).", valueName: "n"))
    var encoderThreads: Int?

    @Option(name: .long, help: ArgumentHelp("Decoded frames buffered per rendition.", valueName: "n"))
    var frameQueue = PipelineTuning().framesPerRenditionQueue

    @OptionGroup var location: ProfileLocation
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (encoderThreads ?? 0) >= 0 else { throw ValidationError("--encoder-threads must be 0 or more") }
        guard frameQueue >= 1 else { throw ValidationError("--frame-queue must be at least 1") }
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
        let request = TranscodeRequest(masterPath: master, profile: encodingProfile,
                                       outputDirectory: URL(fileURLWithPath: output), overwrite: overwrite, tuning: tuning)

        let cancellation = TranscodeCancellation()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { cancellation.cancel() }
        defer { signals.stop() }

        var bar = ProgressBar()
        let showBar = ProgressBar.isAvailable && !logging.verbose
        let report: TranscodeReport
        do {
            report = try Transcoder(logger: logger).run(request, cancellation: cancellation) { progress in
                if showBar { bar.draw(progress) }
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
        }
    }
}

/// Runs a handler when the process receives one of `signals`, instead of dying at once.
final class SignalWatcher {
    private let sources: [DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        // A parent may have started us with these signals blocked; we want them.
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
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

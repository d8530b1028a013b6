import ArgumentParser
import StrataMedia

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Print a master's streams as JSON.",
        discussion: "Shows codecs, sizes (coded and as displayed, after rotation and pixel aspect), frame rates, durations, bit rates, audio channels and rates, languages, titles, dispositions and subtitle streams."
    )

    @Argument(help: "The master video file.")
    var master: String

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        _ = logging.bootstrap(label: "strata.probe")
        do {
            try printJSON(try MasterProbe.describe(path: master))
        } catch let error as TranscodeError {
            throw fail(error.message, status: ExitStatus.forCode(error.code))
        }
    }
}

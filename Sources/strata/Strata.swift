import ArgumentParser

@main
struct Strata: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Transcode a master video into an adaptive CMAF ladder described by HLS and DASH.",
        discussion: """
            Typical use:
              strata probe Media/sample.mp4
              strata transcode Media/sample.mp4 --profile default --output Media/out/sample
              strata profiles validate Profiles/mobile.yaml
              STRATA_API_TOKEN=secret strata serve --port 8080 --data Media
              strata worker --database postgres://strata@db/strata --data /mnt/strata

            Exit status: 0 success, 64 bad command line, 65 unusable master or sidecar, 70 encoding failure,
            73 output folder problem, 78 invalid profile, 130 interrupted.
            """,
        version: "0.1.0",
        subcommands: [ProbeCommand.self, TranscodeCommand.self, ProfilesCommand.self, ServeCommand.self, WorkerCommand.self]
    )
}

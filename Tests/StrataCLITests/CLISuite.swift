import Foundation
import Testing
import TestSupport

/// Every test that runs the real `strata` binary. They transcode real media and play it back, so they
/// run one at a time: on a two-core CI machine parallel encodes would only make each slower.
@Suite("strata command line", .serialized)
struct CLISuite {}

/// The master's own duration, measured by ffprobe.
func masterDuration(_ path: String) throws -> Double {
    try #require(try Players.probe(path).format?.durationSeconds)
}

/// Runs `strata transcode … --json` into a fresh folder and decodes the summary.
func transcode(_ master: String, profile: String = "default", extra: [String] = []) throws -> (output: URL, summary: [String: Any]) {
    let folder = try makeTemporaryDirectory("cli")
    let output = folder.appendingPathComponent("package")
    let result = try StrataBinary.run(["transcode", master, "--profile", profile, "--output", output.path, "--json"] + extra)
    #expect(result.status == 0, "strata failed: \(result.stderr)")
    let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    return (output, summary)
}

/// The renditions of a `--json` summary as "NAMExHEIGHT" strings.
func renditionSizes(_ summary: [String: Any]) -> [String] {
    (summary["renditions"] as? [[String: Any]] ?? []).map { "\($0["width"] ?? 0)x\($0["height"] ?? 0)" }
}

import Foundation

/// The DASH Industry Forum's own conformance tools, used from `../shared/conformance/dashif/` beside the
/// checkout (never copied into it): the ISO segment validator, built on first use into the git-ignored
/// `.tools/isovalidator`, and the MPD schematron, run with Debian's Saxon-HE.
public enum DASHIFTools {
    /// `shared/conformance/dashif` beside the checkout (CI clones `shared/` next to it).
    public static let folder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/dashif")
    static let validatorSources = folder.appendingPathComponent("ISOSegmentValidator/public/linux")
    static let schematron = folder.appendingPathComponent("schematron/val_schema.xsl")
    static let saxon = URL(fileURLWithPath: "/usr/share/java/Saxon-HE.jar")
    static let buildFolder = repositoryRoot.appendingPathComponent(".tools/isovalidator")

    /// True when the tools' sources are there to use.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: validatorSources.appendingPathComponent("Makefile").path)
            && FileManager.default.fileExists(atPath: schematron.path)
    }

    /// Why the conformance tests cannot run here, for the skip message.
    public static let unavailableReason = "DASH-IF tools not found at \(folder.path) (clone shared/ beside the checkout)"

    /// One finding of a validator.
    public struct Finding: Sendable, CustomStringConvertible {
        public var message: String
        /// Where: an XPath (schematron) or a box path (segment validator).
        public var location: String
        public var description: String { "\(message) [\(location)]" }
    }

    // MARK: Segment validator

    /// `ValidateMP4.exe`, built with make (Debian's build-essential) on first use.
    public static func segmentValidator() throws -> URL {
        buildLock.lock()
        defer { buildLock.unlock() }
        let binary = buildFolder.appendingPathComponent("bin/ValidateMP4.exe")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        try FileManager.default.createDirectory(at: buildFolder, withIntermediateDirectories: true)
        // The Makefile includes a dependency file it names itself; ours lives in the build folder.
        let dependencies = buildFolder.appendingPathComponent("dependencies")
        _ = FileManager.default.createFile(atPath: dependencies.path, contents: Data())
        // Objects, binary and dependency list go to the checkout's .tools; the shared sources stay untouched.
        try ToolRunner.require("make", ["-s", "-j2", "-C", validatorSources.path,
                                        "BINDIR=\(buildFolder.appendingPathComponent("bin").path)",
                                        "OBJDIR=\(buildFolder.appendingPathComponent("obj").path)",
                                        "DEPEND=\(dependencies.path)"], timeout: 1800)
        return binary
    }

    /// Validates one Representation: its init segment and media segments, concatenated, as the tool expects
    /// (`-infofile` lists each piece: `0 <init size>`, then `1 <segment size>` per segment).
    /// - Returns: the errors and warnings the tool printed.
    public static func validateRepresentation(initSegment: URL, segments: [URL], arguments: [String]) throws -> (errors: [Finding], warnings: [String]) {
        let validator = try segmentValidator()
        let work = try makeTemporaryDirectory("isovalidator")
        defer { try? FileManager.default.removeItem(at: work) }
        var joined = try Data(contentsOf: initSegment)
        var info = "0 \(joined.count)\n"
        for segment in segments {
            let data = try Data(contentsOf: segment)
            joined += data
            info += "1 \(data.count)\n"
        }
        try joined.write(to: work.appendingPathComponent("representation.mp4"))
        try info.write(to: work.appendingPathComponent("info.txt"), atomically: true, encoding: .utf8)
        // The tool writes its reports (stdout.txt, stderr.txt, …) into the current directory.
        let result = try ToolRunner.run(validator.path, ["-logconsole", "-infofile", "info.txt", "-isolive", "-startwithsap", "1", "-warnings",
                                                         "-cmaf", "-dashifbase"] + arguments + ["representation.mp4"], currentDirectory: work)
        guard let report = try? String(contentsOf: work.appendingPathComponent("stderr.txt"), encoding: .utf8) else {
            throw ToolError("the segment validator wrote no report (status \(result.status)): \(result.stderr.suffix(1000))")
        }
        // errprint writes "### error: <box path> \r###\t\t<file> : <line> : ### error: …\r###\t\t<message>".
        var errors: [Finding] = [], warnings: [String] = []
        for line in report.split(separator: "\n").map(String.init) where !line.isEmpty {
            if line.contains("### error") {
                let pieces = line.components(separatedBy: "###").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                let location = pieces.first.map { $0.replacingOccurrences(of: "error:", with: "").trimmingCharacters(in: .whitespaces) } ?? ""
                let message = pieces.last.map { $0.replacingOccurrences(of: #"^.*?\.cpp : \d+ : "#, with: "", options: .regularExpression) } ?? line
                errors.append(Finding(message: message, location: location))
            } else {
                warnings.append(line)
            }
        }
        return (errors, warnings)
    }

    // MARK: Schematron

    /// The failed assertions of DASH-IF's MPD schematron, run with Saxon-HE.
    public static func schematronFailures(_ mpd: URL) throws -> [Finding] {
        let result = try ToolRunner.require("java", ["-jar", saxon.path, "-s:\(mpd.path)", "-xsl:\(schematron.path)"])
        guard result.stdout.contains("svrl:schematron-output") else {
            throw ToolError("the schematron wrote no report: \(result.stdout.prefix(500)) \(result.stderr.suffix(500))")
        }
        let pattern = try NSRegularExpression(
            pattern: #"<svrl:failed-assert\b[^>]*?location="([^"]*)"[^>]*>\s*<svrl:text>(.*?)</svrl:text>"#,
            options: [.dotMatchesLineSeparators])
        let text = result.stdout as NSString
        return pattern.matches(in: result.stdout, range: NSRange(location: 0, length: text.length)).map { match in
            Finding(message: text.substring(with: match.range(at: 2)).trimmingCharacters(in: .whitespacesAndNewlines),
                    location: text.substring(with: match.range(at: 1)))
        }
    }

    private static let buildLock = NSLock()
}

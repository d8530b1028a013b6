import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: bad input gets one clear error and leaves nothing behind")
    struct BadInputTests {
        enum Input: String, CaseIterable, CustomTestStringConvertible {
            case zeroBytes, truncatedMoovAtEnd, truncatedFaststart, truncatedMatroska, randomBytes, textFile, missingPath,
                 audioOnly, directory

            var testDescription: String { rawValue }

            /// The input's path (made in `folder`) and words the error must contain.
            func make(in folder: URL) throws -> (path: String, mentions: [String]) {
                let path = folder.appendingPathComponent("master-\(rawValue).mp4").path
                switch self {
                case .zeroBytes:
                    try Data().write(to: URL(fileURLWithPath: path))
                    return (path, ["empty", "0 bytes"])
                case .truncatedMoovAtEnd:
                    try cut(try TestMasters.path(TestMasters.hd1080), to: path)
                    return (path, ["cannot read", "complete"])
                case .truncatedFaststart:
                    let whole = folder.appendingPathComponent("faststart.mp4").path
                    try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", try TestMasters.path(TestMasters.oddSize),
                                                      "-c", "copy", "-movflags", "+faststart", whole])
                    try cut(whole, to: path)
                    return (path, ["truncated or damaged"])
                case .truncatedMatroska:
                    let whole = folder.appendingPathComponent("whole.mkv").path
                    try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", try TestMasters.path(TestMasters.oddSize), "-c", "copy", whole])
                    let mkv = folder.appendingPathComponent("master-truncated.mkv").path
                    try cut(whole, to: mkv)
                    return (mkv, ["truncated or damaged"])
                case .randomBytes:
                    var generator = SystemRandomNumberGenerator()
                    try Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
                    return (path, ["cannot read", "as media"])
                case .textFile:
                    try "WEBVTT? no: a shopping list.\nmilk\neggs\n".write(toFile: path, atomically: true, encoding: .utf8)
                    return (path, ["cannot read", "as media"])
                case .missingPath:
                    return (folder.appendingPathComponent("nowhere/master.mov").path, ["does not exist"])
                case .audioOnly:
                    return (try TestMasters.path(TestMasters.audioOnly), ["no video stream"])
                case .directory:
                    return (folder.path, ["is a directory"])
                }
            }

            private func cut(_ source: String, to destination: String) throws {
                let data = try Data(contentsOf: URL(fileURLWithPath: source))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: destination))
            }
        }

        @Test("exit status 65, one line on stderr, no output folder", arguments: Input.allCases)
        func rejected(input: Input) throws {
            let folder = try makeTemporaryDirectory("bad")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (path, mentions) = try input.make(in: folder)
            let outputParent = try makeTemporaryDirectory("bad-out")
            defer { try? FileManager.default.removeItem(at: outputParent) }
            let output = outputParent.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", path, "--output", output.path])
            #expect(result.status == 65)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "stderr: \(result.stderr)")
            #expect(lines.first?.hasPrefix("strata: error: ") == true)
            for word in mentions { #expect(result.stderr.contains(word), "'\(word)' missing from: \(result.stderr)") }
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"))
            #expect(result.stdout.isEmpty)
            let left = try FileManager.default.contentsOfDirectory(atPath: outputParent.path)
            #expect(left.isEmpty, "left behind: \(left)")
        }

        @Test("an existing output folder is kept unless --overwrite is given")
        func existingOutput() throws {
            let parent = try makeTemporaryDirectory("exists")
            defer { try? FileManager.default.removeItem(at: parent) }
            let output = parent.appendingPathComponent("package")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try "keep me".write(to: output.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
            let master = try TestMasters.path(TestMasters.silent)
            let refused = try StrataBinary.run(["transcode", master, "--output", output.path])
            #expect(refused.status == 73)
            #expect(refused.stderr.contains("already exists") && refused.stderr.contains("--overwrite"))
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("note.txt").path))
            let replaced = try StrataBinary.run(["transcode", master, "--output", output.path, "--overwrite"])
            #expect(replaced.status == 0, "\(replaced.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("note.txt").path))
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("master.m3u8").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["package"])
        }

        @Test("an invalid profile is refused before any work, with exit status 78")
        func badProfile() throws {
            let folder = try makeTemporaryDirectory("profile")
            defer { try? FileManager.default.removeItem(at: folder) }
            let profile = folder.appendingPathComponent("broken.yaml")
            try "name: broken\nrenditions:\n  - height: 360\n    bitrate: 800k\n    crf: 23\n".write(to: profile, atomically: true, encoding: .utf8)
            let output = folder.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", try TestMasters.path(TestMasters.silent), "--profile", profile.path, "--output", output.path])
            #expect(result.status == 78)
            #expect(result.stderr == "strata: error: \(profile.path):5: renditions[0].crf: unknown key; allowed keys here are name, width, height, bitrate, maxrate, bufsize, codec, preset, profile, level, tier\n")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}

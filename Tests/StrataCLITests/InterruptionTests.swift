import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: a job killed halfway loses nothing and leaves no half-written package")
    struct InterruptionTests {
        /// Starts a transcode of the 1080p master and waits until it is encoding (a segment file exists in its staging folder).
        func startAndWaitForSegments(output: URL) throws -> Process {
            let process = try StrataBinary.start(["transcode", try TestMasters.path(TestMasters.hd1080), "--output", output.path])
            let parent = output.deletingLastPathComponent()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, process.isRunning {
                let staging = try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(".package.partial-") }
                if let folder = staging.first,
                   FileManager.default.fileExists(atPath: parent.appendingPathComponent("\(folder)/video/360p/seg-1.m4s").path) {
                    return process
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("the transcode never started writing segments")
        }

        @Test("Ctrl-C (SIGINT) stops cleanly: exit 130, no output, no staging folder")
        func interrupt() throws {
            let parent = try makeTemporaryDirectory("sigint")
            defer { try? FileManager.default.removeItem(at: parent) }
            let output = parent.appendingPathComponent("package")
            let process = try startAndWaitForSegments(output: output)
            process.interrupt()
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
        }

        @Test("kill -9 leaves no output folder; the next run succeeds and removes the abandoned staging folder")
        func killed() throws {
            let parent = try makeTemporaryDirectory("sigkill")
            defer { try? FileManager.default.removeItem(at: parent) }
            let output = parent.appendingPathComponent("package")
            let process = try startAndWaitForSegments(output: output)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let afterKill = try FileManager.default.contentsOfDirectory(atPath: parent.path)
            #expect(!afterKill.contains("package"))
            #expect(afterKill.count == 1 && afterKill[0].hasPrefix(".package.partial-"), "\(afterKill)")
            let rerun = try StrataBinary.run(["transcode", try TestMasters.path(TestMasters.silent), "--output", output.path])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["package"])
        }
    }
}

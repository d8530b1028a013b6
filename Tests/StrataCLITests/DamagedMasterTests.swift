import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: a corpus of damaged masters, each a playable package or one clear error")
    struct DamagedMasterTests {
        /// What `Tests/Corpus/make-damaged-masters` makes (it prints the names; the test checks they agree).
        static let names = [
            "audio-absurd-entry.mp4", "audio-flips-element-5.mp4", "audio-flips-element-6.mp4", "audio-flips-heavy-2.mp4",
            "audio-flips-heavy-3.mp4", "audio-flips-heavy-4.mp4", "audio-flips-heavy.mkv", "audio-flips-light.mp4",
            "audio-ones.mp4", "audio-zeroed.mp4", "stsz-absurd.mp4", "truncated-two-thirds.mp4", "video-flips-heavy.mp4",
        ]
        /// Damaged AAC that FFmpeg rejects with errors other than AVERROR_INVALIDDATA (EPERM, unknown codes):
        /// an unusable master (65), as any other damaged audio is.
        static let damagedAudio = ["audio-flips-heavy-2.mp4", "audio-flips-heavy-4.mp4", "audio-flips-heavy.mkv", "audio-ones.mp4"]

        /// The corpus, made once per test run by the committed script.
        static let corpus: Result<URL, ToolError> = {
            do {
                let folder = try makeTemporaryDirectory("damaged-corpus")
                let script = repositoryRoot.appendingPathComponent("Tests/Corpus/make-damaged-masters").path
                let made = try ToolRunner.require("python3", [script, folder.path], timeout: 300)
                let listed = made.stdout.split(separator: "\n").map(String.init)
                guard listed == names else { return .failure(ToolError("the script made \(listed), expected \(names)")) }
                return .success(folder)
            } catch {
                return .failure(ToolError("cannot make the corpus: \(error)"))
            }
        }()

        @Test("exit 0 with a playable package, or 65 with one line; never a crash, 70 or a hang", arguments: names)
        func transcode(name: String) throws {
            let master = try DamagedMasterTests.corpus.get().appendingPathComponent(name)
            let parent = try makeTemporaryDirectory("damaged-out")
            defer { try? FileManager.default.removeItem(at: parent) }
            let output = parent.appendingPathComponent("package")
            // Bounded: a 3-second master takes a few seconds; a hang fails the test instead of the run.
            let result = try StrataBinary.run(["transcode", master.path, "--profile", "mobile", "--output", output.path], timeout: 180)
            #expect(result.status == 0 || result.status == 65, "\(name): exit \(result.status): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "\(result.stderr)")
            if result.status == 65 {
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1 && lines.first?.hasPrefix("strata: error: ") == true, "\(name): \(result.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "a refused master leaves nothing")
            } else if result.status == 0 {
                let playback = try Players.ffmpegDecode(output.appendingPathComponent("master.m3u8").path)
                #expect(playback.status == 0, "\(name): the package does not decode: \(playback.stderr)")
            }
            if DamagedMasterTests.damagedAudio.contains(name) {
                #expect(result.status == 65 && result.stderr.contains("is damaged"), "\(name): \(result.stderr)")
            }
        }
    }
}

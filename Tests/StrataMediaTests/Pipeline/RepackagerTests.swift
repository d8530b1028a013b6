import Foundation
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

@Suite("Adding tracks to a finished package", .serialized)
struct RepackagerTests {
    @Test("new audio and captions join the package; the video and the old package are untouched")
    func addTracks() throws {
        let folder = try makeTemporaryDirectory("repackage")
        defer { try? FileManager.default.removeItem(at: folder) }
        let master = try TestMasters.path(TestMasters.pal)
        let profile = try ProfileLibrary(directory: repositoryRoot.appendingPathComponent("Profiles")).load(named: "default")
        let first = folder.appendingPathComponent("v1")
        _ = try Transcoder().run(TranscodeRequest(masterPath: master, profile: profile, outputDirectory: first))
        let before = try String(contentsOf: first.appendingPathComponent("master.m3u8"), encoding: .utf8)

        let german = folder.appendingPathComponent("german.m4a")
        try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:duration=5", "-c:a", "aac", german.path])
        let captions = folder.appendingPathComponent("es.srt")
        try "1\n00:00:01,000 --> 00:00:02,000\n¡Hola!\n".write(to: captions, atomically: true, encoding: .utf8)
        let second = folder.appendingPathComponent("v2")
        let facts = try Repackager().run(RepackageRequest(
            package: first, outputDirectory: second, audio: profile.audio,
            sidecarAudio: [try SidecarAudio(path: german.path, language: "de", role: .dub)],
            sidecarCaptions: [try SidecarCaptions(path: captions.path, language: "es")]))

        #expect(facts.audio.map(\.id) == ["und", "de-dub"])
        #expect(facts.audio.filter(\.isDefault).count == 1 && facts.audio[0].isDefault)
        #expect(facts.subtitles.map(\.id) == ["es"])
        // The new audio lines up with the old: same offset, same segment starts.
        #expect(facts.audio[1].timeline.presentationTimeOffset == facts.audio[0].timeline.presentationTimeOffset)
        #expect(facts.audio[1].timeline.segments.map(\.start) == facts.audio[0].timeline.segments.map(\.start))
        // Video files are shared with the old package, not copied or re-encoded.
        let oldSegment = first.appendingPathComponent("video/540p/seg-1.m4s").path
        let newSegment = second.appendingPathComponent("video/540p/seg-1.m4s").path
        let inode = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int) ?? -1 }
        #expect(try inode(oldSegment) == inode(newSegment))
        #expect(try String(contentsOf: first.appendingPathComponent("master.m3u8"), encoding: .utf8) == before,
                "the old package's manifests must not change")

        var audit = PackageAudit(root: second, masterDuration: try #require(try Players.probe(master).format?.durationSeconds))
        try audit.run()
        #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
        let master3u8 = try MasterPlaylistFile(contentsOf: second.appendingPathComponent("master.m3u8"))
        #expect(master3u8.media.compactMap { $0["LANGUAGE"] } == ["und", "de", "es"])
    }
}

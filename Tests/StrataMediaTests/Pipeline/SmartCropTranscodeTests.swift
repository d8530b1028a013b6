import Foundation
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Testing
import TestSupport

/// A master whose subject position is known exactly: a 64×64 `testsrc` block sliding right at 150 px/s across
/// a busy static texture for 3 s, then a cut to a dark scene with the block standing still at (100, 200).
enum SmartCropMasters {
    static let fps = 25.0
    static let cutFrame = 75
    static let frames = 125

    static let slidingBlock = TestMasters.Recipe(name: "smartcrop-sliding", arguments: [
        "-filter_complex", """
            nullsrc=s=640x360:r=25:d=3,geq=lum='128+60*sin(X/7)*sin(Y/5)':cb=128:cr=128[bg1];\
            testsrc=s=64x64:r=25:d=3[box1];[bg1][box1]overlay=x='40+t*150':y=148:shortest=1,format=yuv420p[a];\
            color=c=0x202020:s=640x360:r=25:d=2,format=yuv420p[bg2];testsrc=s=64x64:r=25:d=2[box2];\
            [bg2][box2]overlay=x=100:y=200:shortest=1,format=yuv420p[b];[a][b]concat=n=2:v=1:a=0[v];\
            sine=frequency=440:duration=5:sample_rate=48000[s]
            """,
        "-map", "[v]", "-map", "[s]", "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-c:a", "aac",
    ])

    /// Two subjects, one moving: a still textured block at (520, 40) and a `testsrc` block sliding right at
    /// 100 px/s along y = 220, over the same busy static texture, 4 s. With B-frames, so the analysis's preview
    /// decode (reference pictures only) sees every other picture.
    static let twoSubjects = TestMasters.Recipe(name: "smartcrop-two", arguments: [
        "-filter_complex", """
            nullsrc=s=640x360:r=25:d=4,geq=lum='128+60*sin(X/7)*sin(Y/5)':cb=128:cr=128[bg];            nullsrc=s=64x64:r=25:d=4,geq=lum='mod(X*7+Y*13\\,255)':cb=90:cr=170[still];            testsrc=s=64x64:r=25:d=4[mover];            [bg][still]overlay=x=520:y=40:shortest=1[a];[a][mover]overlay=x='40+t*100':y=220:shortest=1,format=yuv420p[v]
            """,
        "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-bf", "3", "-b-pyramid", "none", "-crf", "16",
    ])

    /// The block's centre in frame `number`, in master pixels.
    static func subject(_ number: Int) -> (x: Double, y: Double) {
        number < cutFrame ? (40 + 150 * Double(number) / fps + 32, 148 + 32) : (100 + 32, 200 + 32)
    }

    static let profile = """
        name: crops
        segment_seconds: 2
        gop_seconds: 1
        thumbnails: false
        renditions: [{height: 360, bitrate: 800k}]
        crops:
          - {name: vertical, aspect: "9:16", heights: [360, 240]}
          - {name: square, aspect: "1:1", heights: [240]}
        """
}

@Suite("Smart-crop transcodes", .serialized)
struct SmartCropTranscodeTests {
    struct PathFile: Decodable {
        var sourceWidth: Int
        var sourceHeight: Int
        var shotStarts: [Int]
        var windows: [[Int]]
    }

    /// Made once and shared by the tests; in one fixed folder, replaced by the next run, so runs do not pile up.
    static let package: Result<(URL, TranscodeReport), any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-smartcrop-package")
        try? FileManager.default.removeItem(at: folder)
        let request = TranscodeRequest(masterPath: try TestMasters.path(SmartCropMasters.slidingBlock),
                                       profile: try ProfileParser.parse(SmartCropMasters.profile, source: "test"),
                                       outputDirectory: folder.appendingPathComponent("out"))
        return (request.outputDirectory, try Transcoder().run(request))
    }

    /// Transcodes `recipe` with the crop profile into a fresh folder.
    func transcode(_ recipe: TestMasters.Recipe, into folder: URL) throws -> URL {
        let request = TranscodeRequest(masterPath: try TestMasters.path(recipe),
                                       profile: try ProfileParser.parse(SmartCropMasters.profile, source: "test"),
                                       outputDirectory: folder.appendingPathComponent("out"))
        _ = try Transcoder().run(request)
        return request.outputDirectory
    }

    func path(_ root: URL, _ crop: String) throws -> PathFile {
        try JSONDecoder().decode(PathFile.self, from: Data(contentsOf: root.appendingPathComponent("crops/\(crop)/path.json")))
    }

    @Test("the window keeps the subject in frame, moves smoothly, jumps only at the cut and stands still on a still subject")
    func followsTheSubject() throws {
        let (root, _) = try Self.package.get()
        for crop in ["vertical", "square"] {
            let file = try path(root, crop)
            #expect(file.windows.count == SmartCropMasters.frames)
            #expect(file.shotStarts.count == 2 && abs(file.shotStarts[1] - SmartCropMasters.cutFrame) <= 1, "\(file.shotStarts)")
            var inside = 0
            for (number, window) in file.windows.enumerated() {
                let subject = SmartCropMasters.subject(number)
                if Double(window[0]) <= subject.x, subject.x <= Double(window[0] + window[2]),
                   Double(window[1]) <= subject.y, subject.y <= Double(window[1] + window[3]) { inside += 1 }
                guard number > 0, !file.shotStarts.contains(where: { abs($0 - number) <= 1 }) else { continue }
                let step = max(abs(window[0] - file.windows[number - 1][0]), abs(window[1] - file.windows[number - 1][1]))
                #expect(Double(step) <= 0.05 * Double(window[2]), "\(crop) frame \(number) moved \(step) px")
            }
            #expect(Double(inside) >= 0.98 * Double(file.windows.count), "\(crop): subject inside in \(inside) of \(file.windows.count) frames")
            let afterCut = file.windows[(file.shotStarts.last! + 1)...]
            #expect(Set(afterCut.map { $0 }).count == 1, "\(crop): the still subject's window moved: \(Set(afterCut.map { $0 }))")
        }
    }

    @Test("a crop rung shows the master cut at the path's window (ffmpeg's crop filter as the reference)")
    func rungShowsTheWindow() throws {
        let (root, _) = try Self.package.get()
        let file = try path(root, "vertical")
        let master = try TestMasters.path(SmartCropMasters.slidingBlock)
        let rung = root.appendingPathComponent("crops/vertical/video/360p/index.m3u8").path
        let scratch = try makeTemporaryDirectory("smartcrop-frames")
        defer { try? FileManager.default.removeItem(at: scratch) }
        func grey(_ input: String, frame: Int, filter: String) throws -> [UInt8] {
            let out = scratch.appendingPathComponent("\(UUID().uuidString).gray")
            let result = try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-i", input, "-vf", "select=eq(n\\,\(frame)),\(filter)format=gray",
                                                       "-frames:v", "1", "-f", "rawvideo", "-y", out.path])
            #expect(result.succeeded, "\(result.stderr)")
            return [UInt8](try Data(contentsOf: out))
        }
        func difference(_ a: [UInt8], _ b: [UInt8]) -> Double {
            guard a.count == b.count, !a.isEmpty else { return .infinity }
            return Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
        }
        for frame in [10, 50, 100] {
            let window = file.windows[frame]
            let decoded = try grey(rung, frame: frame, filter: "")
            let reference = try grey(master, frame: frame, filter: "crop=\(window[2]):\(window[3]):\(window[0]):\(window[1]),scale=\(window[2]):\(window[3]),")
            let shiftedX = window[0] > 200 ? window[0] - 120 : window[0] + 120
            let elsewhere = try grey(master, frame: frame, filter: "crop=\(window[2]):\(window[3]):\(shiftedX):\(window[1]),scale=\(window[2]):\(window[3]),")
            #expect(difference(decoded, reference) < 6, "frame \(frame): \(difference(decoded, reference))")
            #expect(difference(decoded, elsewhere) > 3 * difference(decoded, reference), "frame \(frame): the check cannot tell windows apart")
        }
    }

    @Test("each crop is its own presentation: same segment boundaries, shared audio, valid MPD, plays in ffmpeg and GStreamer")
    func presentations() throws {
        let (root, report) = try Self.package.get()
        let facts = try JSONDecoder().decode(PackageFacts.self, from: Data(contentsOf: root.appendingPathComponent("package.json")))
        let crops = try #require(facts.crops)
        #expect(crops.map(\.name) == ["vertical", "square"])
        #expect(crops[0].video.map { "\($0.width)x\($0.height)" } == ["202x360", "134x240"])
        #expect(report.crops?.map(\.hls) == ["crops/vertical/master.m3u8", "crops/square/master.m3u8"])
        let mainStarts = facts.video[0].timeline.segments.map(\.start)
        for crop in crops {
            for video in crop.video { #expect(video.timeline.segments.map(\.start) == mainStarts, "\(crop.name) \(video.id)") }
            let master = try String(contentsOf: root.appendingPathComponent(crop.hlsPath), encoding: .utf8)
            #expect(master.contains("URI=\"../../audio/"), "\(master)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("\(crop.directory)/audio").path))
            // The main presentation does not list crop rungs.
            #expect(!(try String(contentsOf: root.appendingPathComponent("master.m3u8"), encoding: .utf8)).contains("crops/"))
            let schema = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, root.appendingPathComponent(crop.dashPath).path])
            #expect(schema.succeeded, "\(schema.stderr)")
        }
        let server = try LoopbackHTTPServer(serving: root)
        var players = PlayerChecks(baseURL: server.url("crops/vertical"), masterDuration: 5, videoFrameRate: SmartCropMasters.fps)
        try players.run()
        #expect(players.problems.isEmpty, "\(players.problems)")
    }

    @Test("with two subjects, the window follows the one that moves")
    func followsTheMover() throws {
        let folder = try makeTemporaryDirectory("smartcrop-two")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try path(try transcode(SmartCropMasters.twoSubjects, into: folder), "vertical")
        #expect(file.shotStarts == [0])
        let inside = file.windows.enumerated().filter { number, window in
            let x = 40 + 100 * Double(number) / SmartCropMasters.fps + 32
            return Double(window[0]) <= x && x <= Double(window[0] + window[2])
        }.count
        #expect(Double(inside) >= 0.98 * Double(file.windows.count), "mover inside in \(inside) of \(file.windows.count) frames")
    }

    @Test("a rotated master is cropped upright: the rung matches ffmpeg's own upright picture cut at the window")
    func rotatedMaster() throws {
        let folder = try makeTemporaryDirectory("smartcrop-rotated")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = try transcode(TestMasters.rotated, into: folder)
        let file = try path(root, "square")
        #expect(file.sourceWidth == 360 && file.sourceHeight == 640)
        let window = file.windows[40]
        #expect(window[2] == 360 && window[3] == 360)
        let scratch = try makeTemporaryDirectory("smartcrop-rotated-frames")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // ffmpeg applies the display matrix itself, so its picture is the upright one the window refers to.
        func grey(_ input: String, filter: String) throws -> [UInt8] {
            let out = scratch.appendingPathComponent("\(UUID().uuidString).gray")
            let result = try ToolRunner.run("ffmpeg", ["-v", "error", "-nostdin", "-i", input, "-vf", "select=eq(n\\,40),\(filter)scale=120:120,format=gray",
                                                       "-frames:v", "1", "-f", "rawvideo", "-y", out.path])
            #expect(result.succeeded, "\(result.stderr)")
            return [UInt8](try Data(contentsOf: out))
        }
        let decoded = try grey(root.appendingPathComponent("crops/square/video/240p/index.m3u8").path, filter: "")
        let master = try TestMasters.path(TestMasters.rotated)
        let reference = try grey(master, filter: "crop=\(window[2]):\(window[3]):\(window[0]):\(window[1]),")
        let otherEnd = try grey(master, filter: "crop=360:360:0:\(window[1] > 140 ? 0 : 280),")
        let near = zip(decoded, reference).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(decoded.count, 1)
        let far = zip(decoded, otherEnd).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(decoded.count, 1)
        #expect(decoded.count == 120 * 120 && near < 8 && far > 2 * near, "difference \(near) at the window, \(far) elsewhere")
    }

    @Test("captions added later reach the crop presentations too, by reference")
    func captionsAddedLater() throws {
        let (root, _) = try Self.package.get()
        let folder = try makeTemporaryDirectory("smartcrop-repackage")
        defer { try? FileManager.default.removeItem(at: folder) }
        let captions = folder.appendingPathComponent("es.srt")
        try "1\n00:00:01,000 --> 00:00:02,000\n¡Hola!\n".write(to: captions, atomically: true, encoding: .utf8)
        let updated = folder.appendingPathComponent("v2")
        let facts = try Repackager().run(RepackageRequest(
            package: root, outputDirectory: updated, audio: AudioSpec(), sidecarAudio: [],
            sidecarCaptions: [try SidecarCaptions(path: captions.path, language: "es")]))
        #expect(facts.crops?.map(\.name) == ["vertical", "square"])
        let master = try String(contentsOf: updated.appendingPathComponent("crops/vertical/master.m3u8"), encoding: .utf8)
        #expect(master.contains("TYPE=SUBTITLES") && master.contains("URI=\"../../\(facts.subtitles[0].directory)/index.m3u8\""), "\(master)")
        let mpd = try String(contentsOf: updated.appendingPathComponent("crops/vertical/manifest.mpd"), encoding: .utf8)
        #expect(mpd.contains("media=\"../../\(facts.subtitles[0].directory)/seg-$Number$.vtt\""), "\(mpd)")
        let played = try Players.ffmpegDecode(updated.appendingPathComponent("crops/vertical/master.m3u8").path)
        #expect(played.status == 0, "\(played.stderr)")
    }

    @Test("an operator's edited path.json replaces the analysed path; a bad one or an unknown crop name is refused before any work")
    func operatorPath() throws {
        let (root, _) = try Self.package.get()
        let folder = try makeTemporaryDirectory("smartcrop-override")
        defer { try? FileManager.default.removeItem(at: folder) }
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("crops/vertical/path.json"))) as! [String: Any]
        let count = (json["windows"] as! [[Int]]).count
        json["windows"] = Array(repeating: [300, 0, 202, 360], count: count)
        let edited = folder.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: json).write(to: edited)

        var request = TranscodeRequest(masterPath: try TestMasters.path(SmartCropMasters.slidingBlock),
                                       profile: try ProfileParser.parse(SmartCropMasters.profile, source: "test"),
                                       outputDirectory: folder.appendingPathComponent("out"))
        request.cropPaths = ["vertical": edited]
        _ = try Transcoder().run(request)
        let used = try path(request.outputDirectory, "vertical")
        #expect(used.windows.count == count && used.windows.allSatisfy { $0 == [300, 0, 202, 360] })
        #expect(try path(request.outputDirectory, "square").windows != [], "the other crop is still analysed")

        json["windows"] = [[300, 0, 202, 360], [300, 0, 200, 360]]
        let bad = folder.appendingPathComponent("bad.json")
        try JSONSerialization.data(withJSONObject: json).write(to: bad)
        // A position near Int.max must be refused, not overflow.
        json["windows"] = [[Int.max - 100, 0, 202, 360]]
        let huge = folder.appendingPathComponent("huge.json")
        try JSONSerialization.data(withJSONObject: json).write(to: huge)
        let plain = try ProfileParser.parse("name: plain\nrenditions: [{height: 240, bitrate: 400k}]", source: "test")
        for (paths, profile, message) in [
            (["vertical": bad], request.profile, "window 1 [300, 0, 200, 360] is not a 202x360 window"),
            (["vertical": huge], request.profile, "window 0 [\(Int.max - 100), 0, 202, 360] is not a 202x360 window"),
            (["../vertical": edited], request.profile, "the profile has no crop named '../vertical'"),
            (["vertical": edited], plain, "the profile has no crops, so --crop-path vertical="),
        ] {
            var refused = request
            refused.outputDirectory = folder.appendingPathComponent("refused")
            refused.cropPaths = paths
            refused.profile = profile
            #expect { try Transcoder().run(refused) } throws: { error in
                (error as? TranscodeError)?.code == .invalidSidecar && (error as? TranscodeError)?.message.contains(message) == true
            }
            #expect(!FileManager.default.fileExists(atPath: refused.outputDirectory.path))
        }
    }
}

import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: poster and storyboard from the decoded frames")
    struct ThumbnailTests {
        @Test("a master that starts black gets a picture poster, sprite sheets and a storyboard covering it")
        func posterAndStoryboard() throws {
            let master = try TestMasters.path(TestMasters.blackStart)
            let (output, summary) = try transcode(master)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            let thumbnails = try #require(summary["thumbnails"] as? [String: Any], "the --json summary lists them")
            let poster = try #require(thumbnails["poster"] as? [String: Any])
            #expect((poster["seconds"] as? Double ?? 0) >= 1, "the poster comes from after the black second: \(poster)")

            let posterFile = output.appendingPathComponent("poster.jpg")
            #expect(try stillSize(posterFile) == "640x360", "the top rung's size")
            #expect(try averageLuma(posterFile) > 60, "the poster is not black")

            let duration = try masterDuration(master)
            let cues = try StoryboardFile(contentsOf: output.appendingPathComponent("storyboard.vtt"))
            #expect(cues.cues.count == 3, "one tile every 2 s of 5 s")
            try expectCoverage(cues, duration: duration, package: output)
            #expect(try stillSize(output.appendingPathComponent("storyboard-1.jpg")) == "480x90")
            // Each tile shows its cue's start: black at 0 s, the test pattern at 2 s and 4 s.
            let lumas = try cues.cues.map { try averageLuma(output.appendingPathComponent($0.file), crop: $0.rect) }
            #expect(lumas[0] < 20 && lumas[1] > 60 && lumas[2] > 60, "tile brightness \(lumas)")

            let facts = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("package.json"))) as? [String: Any]
            let listed = try #require(facts?["thumbnails"] as? [String: Any], "package.json lists them")
            #expect((listed["storyboard"] as? [String: Any])?["file"] as? String == "storyboard.vtt")
            #expect((listed["poster"] as? [String: Any])?["file"] as? String == "poster.jpg")
        }

        @Test("profiles switch them off or tune them")
        func switchedOffAndTuned() throws {
            let master = try TestMasters.path(TestMasters.silent)
            let folder = try makeTemporaryDirectory("thumbnail-profiles")
            defer { try? FileManager.default.removeItem(at: folder) }
            let ladder = "renditions: [{height: 360, bitrate: 800k}]\n"
            let off = folder.appendingPathComponent("still-off.yaml")
            try "name: still-off\nthumbnails: false\n\(ladder)".write(to: off, atomically: true, encoding: .utf8)
            let tuned = folder.appendingPathComponent("tuned.yaml")
            try "name: tuned\nthumbnails: {poster: false, interval_seconds: 1, tile_width: 96}\n\(ladder)".write(to: tuned, atomically: true, encoding: .utf8)

            let (plain, plainSummary) = try transcode(master, profile: off.path)
            defer { try? FileManager.default.removeItem(at: plain.deletingLastPathComponent()) }
            #expect(plainSummary["thumbnails"] == nil)
            let files = try FileManager.default.contentsOfDirectory(atPath: plain.path)
            #expect(!files.contains { $0.hasSuffix(".jpg") || $0.hasPrefix("storyboard") }, "\(files)")
            #expect(try String(contentsOf: plain.appendingPathComponent("package.json"), encoding: .utf8).contains("thumbnails") == false)

            let (output, summary) = try transcode(master, profile: tuned.path)
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            #expect((summary["thumbnails"] as? [String: Any])?["poster"] == nil)
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("poster.jpg").path))
            let cues = try StoryboardFile(contentsOf: output.appendingPathComponent("storyboard.vtt"))
            #expect(cues.cues.count == 3 && cues.cues.allSatisfy { $0.rect.width == 96 && $0.rect.height == 54 })
            try expectCoverage(cues, duration: try masterDuration(master), package: output)
            #expect(try stillSize(output.appendingPathComponent("storyboard-1.jpg")) == "288x54")
        }
    }
}

/// Cues run back to back from 0 to the video's end, and each `#xywh` lies inside a sprite that decodes as JPEG.
func expectCoverage(_ storyboard: StoryboardFile, duration: Double, package: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let cues = storyboard.cues
    #expect(cues.first?.start == 0, sourceLocation: sourceLocation)
    #expect(zip(cues, cues.dropFirst()).allSatisfy { $0.end == $1.start && $0.start < $0.end }, "gaps or overlaps: \(cues)", sourceLocation: sourceLocation)
    #expect(abs((cues.last?.end ?? 0) - duration) < 0.05, "cues end at \(cues.last?.end ?? 0), the master lasts \(duration)", sourceLocation: sourceLocation)
    var sizes: [String: (Int, Int)] = [:]
    for cue in cues {
        if sizes[cue.file] == nil {
            let stream = try #require(try Players.probe(package.appendingPathComponent(cue.file).path).streams.first)
            #expect(stream.codec_name == "mjpeg", sourceLocation: sourceLocation)
            sizes[cue.file] = (stream.width ?? 0, stream.height ?? 0)
        }
        let (width, height) = sizes[cue.file]!
        let r = cue.rect
        #expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= width && r.y + r.height <= height,
                "\(cue.file)#xywh=\(r) is outside its \(width)x\(height) sprite", sourceLocation: sourceLocation)
    }
}

/// "WIDTHxHEIGHT" of a JPEG as ffprobe reads it (and nil unless it is one).
func stillSize(_ file: URL) throws -> String? {
    guard let stream = try Players.probe(file.path).streams.first, stream.codec_name == "mjpeg" else { return nil }
    return "\(stream.width ?? 0)x\(stream.height ?? 0)"
}

/// Average luma (0…255) of a picture, or of a rectangle of it, measured by ffmpeg's signalstats.
func averageLuma(_ file: URL, crop: StoryboardFile.Rect? = nil) throws -> Double {
    let cropFilter = crop.map { ",crop=\($0.width):\($0.height):\($0.x):\($0.y)" } ?? ""
    let result = try ToolRunner.require("ffprobe", ["-v", "error", "-f", "lavfi", "-i", "movie=\(file.path)\(cropFilter),signalstats",
                                                    "-show_entries", "frame_tags=lavfi.signalstats.YAVG", "-of", "csv=p=0"])
    return try #require(Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "no YAVG in \(result.stdout)")
}

/// A WebVTT thumbnail track read independently of Strata: cues of `sheet.jpg#xywh=x,y,w,h`.
struct StoryboardFile {
    struct Rect: CustomStringConvertible {
        var x, y, width, height: Int
        var description: String { "\(x),\(y),\(width),\(height)" }
    }

    struct Cue {
        var start: Double
        var end: Double
        var file: String
        var rect: Rect
    }

    var cues: [Cue] = []

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        guard blocks.first?.hasPrefix("WEBVTT") == true else { throw ToolError("\(url.lastPathComponent) does not start with WEBVTT") }
        for block in blocks.dropFirst() where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let lines = block.split(separator: "\n").map(String.init)
            guard let timing = lines.firstIndex(where: { $0.contains("-->") }), timing + 1 < lines.count else {
                throw ToolError("a cue without timing or payload: \(block)")
            }
            let times = lines[timing].components(separatedBy: "-->").map { $0.trimmingCharacters(in: .whitespaces) }
            let parts = lines[timing + 1].components(separatedBy: "#xywh=")
            let numbers = parts.count == 2 ? parts[1].split(separator: ",").compactMap { Int($0) } : []
            guard times.count == 2, let start = Self.seconds(times[0]), let end = Self.seconds(times[1]), numbers.count == 4 else {
                throw ToolError("not a thumbnail cue: \(block)")
            }
            cues.append(Cue(start: start, end: end, file: parts[0], rect: Rect(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])))
        }
    }

    /// `hh:mm:ss.ttt` or `mm:ss.ttt`.
    static func seconds(_ text: String) -> Double? {
        let fields = text.split(separator: ":").map { Double($0) }
        guard (2...3).contains(fields.count), !fields.contains(nil) else { return nil }
        return fields.reduce(0.0) { $0 * 60 + $1! }
    }
}

import Foundation

/// Masters generated with the ffmpeg CLI (`-f lavfi`), made once per test process and shared.
public enum TestMasters {
    /// A master recipe: ffmpeg arguments after `-y`, ending just before the output path.
    public struct Recipe: Sendable {
        public let name: String
        public let fileExtension: String
        public let arguments: [String]
        /// Files written into the masters folder before ffmpeg runs (e.g. subtitle sources), by name.
        public let inputs: [String: String]

        public init(name: String, fileExtension: String = "mp4", arguments: [String], inputs: [String: String] = [:]) {
            self.name = name
            self.fileExtension = fileExtension
            self.arguments = arguments
            self.inputs = inputs
        }
    }

    /// 1920×1080 at 30 fps, 8 s, with a 440 Hz stereo tone.
    public static let hd1080 = Recipe(name: "hd1080", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=8",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=8:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ])

    /// An odd size (853×479) that no rung matches exactly.
    public static let oddSize = Recipe(name: "odd", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=853x479:rate=30:duration=4",
        "-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    ])

    /// 640×360 stored with a display matrix that turns it a quarter: a phone clip shown 360×640.
    public static let rotated = Recipe(name: "rotated", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=4",
        "-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    ])

    /// Variable frame rate: a 60 fps source with an irregular pattern of frames dropped (average ≈ 29.4 fps).
    public static let variableFrameRate = Recipe(name: "vfr", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=60:duration=6",
        "-f", "lavfi", "-i", "sine=duration=6",
        "-vf", "select='lt(mod(n\\,5)\\,2)+eq(mod(n\\,7)\\,3)'", "-fps_mode", "vfr",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
    ])

    /// PAL: 25 fps, 720×576 anamorphic 16:9 (SAR 64:45), mono 44.1 kHz audio.
    public static let pal = Recipe(name: "pal", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=720x576:rate=25:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=1000:duration=5:sample_rate=44100",
        "-vf", "setsar=64/45", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ar", "44100", "-ac", "1", "-shortest",
    ])

    /// 640×360 at 25 fps, 16 s, with B-frames and a keyframe only every 3.6 s (not on Strata's 2 s grid), and a tone:
    /// decoding a chunk of it must start from a keyframe well before the chunk.
    public static let sparseKeyframes = Recipe(name: "sparse-keyframes", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=16",
        "-f", "lavfi", "-i", "sine=frequency=660:duration=16:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "veryfast", "-g", "90", "-keyint_min", "90", "-sc_threshold", "0", "-bf", "3",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ])

    /// 320×180 at 15 fps, 3 minutes, with a tone: long enough to be cut into chunks, small enough to encode fast.
    public static let threeMinutes = Recipe(name: "three-minutes", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15:duration=180",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=180:sample_rate=48000",
        "-ac", "2", "-c:v", "libx264", "-preset", "veryfast", "-g", "45", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest",
    ])

    /// Captions of the multi-track master's English subtitle stream, as SubRip.
    public static let englishSubtitles = "1\n00:00:00,500 --> 00:00:02,000\n<i>Hello</i> world\n\n2\n00:00:05,500 --> 00:00:07,250\nSecond line\nwith a break\n"
    /// Captions of the multi-track master's forced French subtitle stream.
    public static let frenchSubtitles = "1\n00:00:01,000 --> 00:00:03,000\nBonjour à tous\n"

    /// 8 s with three audio streams (English main and default, Spanish dub, English audio description)
    /// and two mov_text subtitle streams (English, French forced).
    public static let multiTrack = Recipe(name: "multitrack", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=8",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-f", "lavfi", "-i", "sine=frequency=660:duration=8",
        "-f", "lavfi", "-i", "sine=frequency=880:duration=8",
        "-i", "{dir}/en.srt", "-i", "{dir}/fr.srt",
        "-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map", "4", "-map", "5",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-c:s", "mov_text",
        "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=spa", "-metadata:s:a:2", "language=eng",
        "-disposition:a:0", "default", "-disposition:a:1", "dub", "-disposition:a:2", "visual_impaired",
        "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fre", "-disposition:s:0", "0", "-disposition:s:1", "forced",
    ], inputs: ["en.srt": englishSubtitles, "fr.srt": frenchSubtitles])

    /// A 3 s clip with no audio at all.
    public static let silent = Recipe(name: "silent", arguments: [
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=3", "-c:v", "libx264", "-preset", "ultrafast",
    ])

    /// 640×360 at 30 fps, 5 s: one second of black, then testsrc2 (a poster must not be the black).
    public static let blackStart = Recipe(name: "black-start", arguments: [
        "-f", "lavfi", "-i", "color=black:size=640x360:rate=30:duration=1",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=4",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
    ])

    /// Audio only: no video stream.
    public static let audioOnly = Recipe(name: "audio-only", fileExtension: "m4a", arguments: [
        "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac",
    ])

    /// Path to the master, generating it on first use.
    public static func path(_ recipe: Recipe) throws -> String {
        try cache.path(for: recipe)
    }

    /// A folder for generated masters, removed when the process ends.
    public static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-masters-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private static let cache = MasterCache()
}

private final class MasterCache: @unchecked Sendable {
    // Guarded by `lock`: tests may ask for the same master from several threads.
    private let lock = NSLock()
    private var made: [String: String] = [:]

    func path(for recipe: TestMasters.Recipe) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = made[recipe.name] { return path }
        let url = TestMasters.directory.appendingPathComponent("\(recipe.name).\(recipe.fileExtension)")
        for (name, text) in recipe.inputs {
            try text.write(to: TestMasters.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let arguments = recipe.arguments.map { $0.replacingOccurrences(of: "{dir}", with: TestMasters.directory.path) }
        try ToolRunner.require("ffmpeg", ["-v", "error", "-y"] + arguments + [url.path])
        if recipe.name == TestMasters.rotated.name {
            // FFmpeg 5.1 writes the display matrix from the `rotate` tag only when stream-copying.
            let turned = TestMasters.directory.appendingPathComponent("\(recipe.name)-turned.mp4")
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", url.path, "-c", "copy", "-metadata:s:v:0", "rotate=90", turned.path])
            try FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: turned, to: url)
        }
        made[recipe.name] = url.path
        return url.path
    }
}

/// A fresh, empty temporary folder for one test.
public func makeTemporaryDirectory(_ label: String = "test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-\(label)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository root (for `Profiles/`, the DASH schema beside it, and the built binary).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The DASH MPD schema: the team's shared copy (`../shared/conformance/dash-schema/`) when it sits beside
/// the checkout, else the copy vendored under `Tests/Conformance/` for clean CI clones.
public let dashSchema: URL = {
    let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/dash-schema/DASH-MPD.xsd")
    if FileManager.default.fileExists(atPath: shared.path) { return shared }
    return repositoryRoot.appendingPathComponent("Tests/Conformance/dash-schema/DASH-MPD.xsd")
}()

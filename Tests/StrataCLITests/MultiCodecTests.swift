import Foundation
import Testing
import TestSupport

extension CLISuite {
    /// H.264, HEVC and AV1 rungs in one package, checked by ffprobe, xmllint, ffmpeg and GStreamer.
    @Suite("H.264, HEVC and AV1 in one package")
    struct MultiCodecTests {
        /// 640×360 at 25 fps, 4 s, with a stereo tone: small enough for x265 and SVT-AV1 on two loaded cores.
        static let master = TestMasters.Recipe(name: "multicodec-360", arguments: [
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=4:sample_rate=48000",
            "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
        ])

        /// Two rungs per codec, the cheapest presets, 2 s segments of two 1 s GOPs.
        static let profile = """
            name: multicodec-test
            segment_seconds: 2
            gop_seconds: 1
            video: {codec: h264, preset: veryfast}
            renditions:
              - {height: 360, bitrate: 600k}
              - {height: 180, bitrate: 250k, profile: main}
              - {height: 360, bitrate: 400k, codec: hevc, preset: ultrafast}
              - {height: 180, bitrate: 160k, codec: hevc, preset: ultrafast}
              - {height: 360, bitrate: 350k, codec: av1, preset: 12}
              - {height: 180, bitrate: 150k, codec: av1, preset: 12}
            audio: {bitrate: 64k}
            """

        @Test("every codec's rungs decode as CODECS says, start each segment on a keyframe, share boundaries and play")
        func package() throws {
            let folder = try makeTemporaryDirectory("multicodec")
            let profileFile = folder.appendingPathComponent("multicodec-test.yaml")
            try Self.profile.write(to: profileFile, atomically: true, encoding: .utf8)
            let master = try TestMasters.path(Self.master)
            let output = folder.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", master, "--profile", profileFile.path, "--output", output.path, "--json"])
            #expect(result.status == 0 && result.stderr.isEmpty, "strata stays quiet, libsvtav1 and x265 included: \(result.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
            let names = (summary["renditions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["360p", "180p", "360p-hevc", "180p-hevc", "360p-av1", "180p-av1"])

            // HLS: one master, H.264 variants first, CODECS read from each bitstream.
            let playlist = try MasterPlaylistFile(contentsOf: output.appendingPathComponent("master.m3u8"))
            let codecs = playlist.variants.compactMap { $0.attributes["CODECS"]?.split(separator: ",").first.map(String.init) }
            #expect(codecs.map { String($0.prefix(4)) } == ["avc1", "avc1", "hvc1", "hvc1", "av01", "av01"])
            #expect(codecs[2].hasPrefix("hvc1.1.6.L") && codecs[2].hasSuffix(".90"), "\(codecs)")
            #expect(codecs[4] == "av01.0.01M.08" && codecs[5] == "av01.0.00M.08", "levels 2.1 and 2.0 for 360p/180p at 25 fps: \(codecs)")
            let iFrameCodecs = playlist.lines.filter { $0.hasPrefix("#EXT-X-I-FRAME-STREAM-INF") }
            #expect(iFrameCodecs.count == 6, "an I-frame playlist per rung")

            // DASH: one video AdaptationSet per codec, @codecs on every Representation, ids unique.
            let mpd = try String(contentsOf: output.appendingPathComponent("manifest.mpd"), encoding: .utf8)
            #expect(mpd.components(separatedBy: #"contentType="video""#).count - 1 == 3)
            for id in ["video-360p", "video-180p-hevc", "video-360p-av1"] { #expect(mpd.contains(#"id="\#(id)""#)) }
            for codec in codecs { #expect(mpd.contains(#"codecs="\#(codec)""#)) }

            // Sample entries: hvc1 (not hev1) and av01, in the init segments.
            let hevcInit = try Data(contentsOf: output.appendingPathComponent("video/360p-hevc/init.mp4"))
            #expect(hevcInit.range(of: Data("hvc1".utf8)) != nil && hevcInit.range(of: Data("hev1".utf8)) == nil)
            #expect(try Data(contentsOf: output.appendingPathComponent("video/360p-av1/init.mp4")).range(of: Data("av01".utf8)) != nil)

            // ffprobe per rung (size, codec, profile/level vs CODECS, keyframe at each segment start, identical
            // boundaries across all six rungs), the DASH schema, I-frame ranges, ffmpeg and GStreamer on the whole package.
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems)\n\(audit.notes)")

            // Each codec's variants on their own, as a player that decodes only that codec would pick them.
            let server = try LoopbackHTTPServer(serving: output)
            for family in ["avc1", "hvc1", "av01"] {
                let narrowed = "master-\(family).m3u8"
                try Self.narrow(playlist.lines, to: family).write(to: output.appendingPathComponent(narrowed), atomically: true, encoding: .utf8)
                var players = PlayerChecks(baseURL: server.baseURL, masterDuration: try masterDuration(master), videoFrameRate: 25)
                players.manifests = [narrowed]
                try players.run()
                #expect(players.problems.isEmpty, "\(family): \(players.problems)\n\(players.notes)")
                let probe = try Players.probe(server.url(narrowed))
                let decoded = Set(probe.streams.filter { $0.codec_type == "video" }.compactMap(\.codec_name))
                #expect(decoded == [["avc1": "h264", "hvc1": "hevc", "av01": "av1"][family]!], "\(family) variants hold \(decoded)")
            }
        }

        /// The master playlist with only the (I-frame) variants whose CODECS start with `family`.
        static func narrow(_ lines: [String], to family: String) -> String {
            var kept: [String] = []
            var skipNextURI = false
            for line in lines {
                if skipNextURI {
                    skipNextURI = false
                    continue
                }
                let isVariant = line.hasPrefix("#EXT-X-STREAM-INF"), isIFrame = line.hasPrefix("#EXT-X-I-FRAME-STREAM-INF")
                if (isVariant || isIFrame) && !line.contains(#"CODECS="\#(family)"#) {
                    skipNextURI = isVariant
                    continue
                }
                kept.append(line)
            }
            return kept.joined(separator: "\n") + "\n"
        }
    }
}

import Foundation
import Testing
import TestSupport

extension CLISuite {
    /// PQ and HLG masters are tone-mapped to SDR BT.709 once, for every rung and thumbnail; checked against the
    /// ffmpeg CLI running the same zscale/tonemap chain, and against the washed-out picture without it.
    @Suite("HDR masters")
    struct HDRMasterTests {
        /// 2 s of HEVC Main 10, BT.2020, with transfer `transfer`: testsrc2 with SDR white at 203 cd/m²
        /// (ITU-R BT.2408's HDR reference white), as an HDR grade of SDR material would place it.
        static func master(transfer: String) -> TestMasters.Recipe {
            TestMasters.Recipe(name: "hdr-\(transfer)-360", arguments: [
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
                "-vf", "zscale=tin=bt709:min=bt709:pin=bt709:rin=tv:t=\(transfer):m=bt2020nc:p=bt2020:r=tv:npl=203,format=yuv420p10le",
                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le",
                "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc",
            ])
        }

        /// The SDR reference: FFmpeg's documented zscale/tonemap chain, run by the ffmpeg CLI.
        static func reference(transfer: String) -> String {
            "zscale=tin=\(transfer):pin=bt2020:min=bt2020nc:rin=tv:t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
                + "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,format=yuv420p"
        }

        /// An H.264 and an HEVC rung (so both encoders' VUI are checked) and the default poster and storyboard.
        static let profile = """
            name: hdr-test
            segment_seconds: 2
            gop_seconds: 1
            video: {codec: h264, preset: veryfast}
            renditions:
              - {height: 360, bitrate: 800k}
              - {height: 180, bitrate: 300k, codec: hevc, preset: ultrafast}
            audio: {bitrate: 64k}
            crops: [{name: square, aspect: "1:1", heights: [180]}]
            """

        @Test("a PQ or HLG master: every rung is tagged BT.709, looks like the ffmpeg CLI's tone mapping, and says so",
              arguments: ["smpte2084", "arib-std-b67"])
        func toneMapped(transfer: String) throws {
            let master = try TestMasters.path(Self.master(transfer: transfer))
            let tags = try ToolRunner.require("ffprobe", ["-v", "error", "-show_entries", "stream=color_transfer,profile", "-of", "csv=p=0", master])
            #expect(tags.stdout.contains(transfer) && tags.stdout.contains("Main 10"), "the generated master: \(tags.stdout)")
            let folder = try makeTemporaryDirectory("hdr")
            let (result, output) = try Self.transcode(master, in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let range = transfer == "smpte2084" ? "PQ" : "HLG"
            #expect(result.stderr.contains("tone-mapping it to SDR BT.709") && result.stderr.contains("range=\(range)"), "\(result.stderr)")
            #expect(!result.stderr.contains("washed out"))

            // --json and package.json record the master's range and what was done.
            for json in [Data(result.stdout.utf8), try Data(contentsOf: output.appendingPathComponent("package.json"))] {
                let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
                let facts = object["dynamicRange"] as? [String: String] ?? [:]
                #expect(facts["master"] == range && facts["renditions"] == "SDR" && facts["conversion"]?.contains("tone-mapped") == true, "\(facts)")
            }

            let reference = Self.reference(transfer: transfer)
            for (rung, size) in [("360p", "640:360"), ("180p-hevc", "320:180")] {
                let file = try Self.joinedTrack(output.appendingPathComponent("video/\(rung)"), into: folder.appendingPathComponent("\(rung).mp4"))
                // The bitstream's VUI (H.264 E.2.1 / HEVC E.2.1) says BT.709, as every SDR player assumes.
                let color = try ToolRunner.require("ffprobe", ["-v", "error", "-show_entries", "stream=color_primaries,color_transfer,color_space",
                                                                "-of", "csv=p=0", file.path])
                #expect(color.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "bt709,bt709,bt709", "\(rung): \(color.stdout)")
                // The picture: close to the CLI's tone mapping at the rung's size, and far from the untouched HDR code values.
                let toneMapped = try Self.ssim(file.path, master: master, referenceChain: "\(reference),scale=\(size)")
                let untouched = try Self.ssim(file.path, master: master, referenceChain: "format=yuv420p,scale=\(size)")
                #expect(toneMapped > 0.95, "\(rung): SSIM against the CLI's tone mapping \(toneMapped)")
                #expect(untouched < toneMapped - 0.05, "\(rung): SSIM against the washed-out picture \(untouched) vs \(toneMapped)")
            }

            // A smart-crop rung is cut from the same tone-mapped pictures and tagged the same way.
            let cropRung = try Self.joinedTrack(output.appendingPathComponent("crops/square/video/180p"), into: folder.appendingPathComponent("crop.mp4"))
            let cropColor = try ToolRunner.require("ffprobe", ["-v", "error", "-show_entries", "stream=color_primaries,color_transfer,color_space",
                                                               "-of", "csv=p=0", cropRung.path])
            #expect(cropColor.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "bt709,bt709,bt709", "crop: \(cropColor.stdout)")

            // Thumbnails come from the tone-mapped pictures too: as saturated as the reference, not washed out.
            let referenceFrame = folder.appendingPathComponent("reference.png")
            _ = try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-i", master, "-vf", reference, "-frames:v", "1", referenceFrame.path])
            let wanted = try Self.saturation(referenceFrame.path)
            for still in ["poster.jpg", "storyboard-1.jpg"] {
                let saturation = try Self.saturation(output.appendingPathComponent(still).path)
                #expect(abs(saturation - wanted) < wanted * 0.2, "\(still): mean saturation \(saturation), tone-mapped reference \(wanted)")
            }

            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems)\n\(audit.notes)")
        }

        @Test("an SDR master gets no tone mapping and no dynamic-range record")
        func sdrUntouched() throws {
            let master = try TestMasters.path(MultiCodecTests.master)
            let (result, output) = try Self.transcode(master, in: try makeTemporaryDirectory("sdr"))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("tone-map") && !result.stdout.contains("dynamicRange"))
            let packageJSON = try String(contentsOf: output.appendingPathComponent("package.json"), encoding: .utf8)
            #expect(!packageJSON.contains("dynamicRange"))
        }

        /// `strata transcode --json --verbose` of `master` with `profile`, into `folder/package`.
        static func transcode(_ master: String, in folder: URL) throws -> (ToolResult, URL) {
            let profileFile = folder.appendingPathComponent("hdr-test.yaml")
            try profile.write(to: profileFile, atomically: true, encoding: .utf8)
            let output = folder.appendingPathComponent("package")
            return (try StrataBinary.run(["transcode", master, "--profile", profileFile.path, "--output", output.path, "--json", "--verbose"]), output)
        }

        /// The track's init segment and media segments as one fragmented MP4 file ffmpeg can read.
        static func joinedTrack(_ directory: URL, into file: URL) throws -> URL {
            let segments = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasPrefix("seg-") && $0.hasSuffix(".m4s") }
                .sorted { Int($0.dropFirst(4).dropLast(4)) ?? 0 < Int($1.dropFirst(4).dropLast(4)) ?? 0 }
            var data = try Data(contentsOf: directory.appendingPathComponent("init.mp4"))
            for segment in segments { data.append(try Data(contentsOf: directory.appendingPathComponent(segment))) }
            try data.write(to: file)
            return file
        }

        /// Mean SSIM (all planes) of `file`'s pictures against the master's run through `referenceChain`, by the ffmpeg CLI.
        static func ssim(_ file: String, master: String, referenceChain: String) throws -> Double {
            let result = try ToolRunner.require("ffmpeg", [
                "-hide_banner", "-nostats", "-i", file, "-i", master,
                "-filter_complex", "[1:v]\(referenceChain)[reference];[0:v]format=yuv420p[picture];[picture][reference]ssim", "-f", "null", "-",
            ])
            let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("SSIM") && $0.contains("All:") })
            let value = line.split(separator: " ").first { $0.hasPrefix("All:") }.flatMap { Double($0.dropFirst(4)) }
            return try #require(value, "\(line)")
        }

        /// Mean saturation (signalstats SATAVG) of the first picture of `file`.
        static func saturation(_ file: String) throws -> Double {
            let result = try ToolRunner.require("ffmpeg", [
                "-v", "error", "-i", file, "-vf", "format=yuv420p,signalstats,metadata=print:key=lavfi.signalstats.SATAVG:file=-",
                "-frames:v", "1", "-f", "null", "-",
            ])
            let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("SATAVG=") })
            return try #require(Double(line.split(separator: "=").last ?? ""), "\(line)")
        }
    }
}

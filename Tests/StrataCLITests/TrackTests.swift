import Foundation
import FoundationXML
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: alternate audio and captions reach independent players")
    struct TrackTests {
        /// Spanish SubRip with a byte-order mark, CRLF line ends, non-ASCII text, italics and a top position.
        static let spanish = "\u{FEFF}1\r\n00:00:00,800 --> 00:00:02,500\r\n¿Dónde está <i>la biblioteca</i>?\r\n\r\n2\r\n00:00:05,900 --> 00:00:06,900\r\n{\\an8}Señales arriba\r\n"
        /// Japanese WebVTT (SDH) with a note, an identifier, cue settings, and a cue running past the video's end.
        static let japanese = "WEBVTT\n\nNOTE sound effects in brackets\n\n00:01.000 --> 00:03.500 line:0\n日本語の<i>字幕</i>\n\nsecond\n00:00:04.000 --> 00:00:09.000\n[音楽] こんにちは &amp; ようこそ\n"

        /// What each caption track must read back as (times in presentation seconds; the video lasts 8 s).
        static let expected: [String: [ReadCue]] = [
            "en": [ReadCue(start: 0.5, end: 2, text: "<i>Hello</i> world"), ReadCue(start: 5.5, end: 7.25, text: "Second line\nwith a break")],
            "fr-forced": [ReadCue(start: 1, end: 3, text: "Bonjour à tous")],
            "es": [ReadCue(start: 0.8, end: 2.5, text: "¿Dónde está <i>la biblioteca</i>?"), ReadCue(start: 5.9, end: 6.9, text: "Señales arriba")],
            "ja-sdh": [ReadCue(start: 1, end: 3.5, text: "日本語の<i>字幕</i>"), ReadCue(start: 4, end: 8, text: "[音楽] こんにちは & ようこそ")],
        ]

        @Test("three master audio streams, a sidecar dub, two subtitle streams and two caption files")
        func everyTrack() throws {
            let folder = try makeTemporaryDirectory("tracks")
            defer { try? FileManager.default.removeItem(at: folder) }
            let german = folder.appendingPathComponent("german.m4a")
            try ToolRunner.require("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=520:duration=7", "-c:a", "aac", german.path])
            let spanish = folder.appendingPathComponent("spanish.srt"), japanese = folder.appendingPathComponent("japanese.vtt")
            try Data(Self.spanish.utf8).write(to: spanish)
            try Data(Self.japanese.utf8).write(to: japanese)
            let master = try TestMasters.path(TestMasters.multiTrack)
            let output = folder.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", master, "--output", output.path, "--json", "--audio", "de:dub=\(german.path)",
                                               "--captions", "es=\(spanish.path)", "--captions", "ja:sdh=\(japanese.path)"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("audio is shorter than the video") && result.stderr.contains("de-dub"),
                    "a short sidecar is padded with a warning, not silently: \(result.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
            let audio = summary["audio"] as? [[String: Any]] ?? []
            #expect(audio.map { "\($0["id"]!)/\($0["language"]!)/\($0["role"]!)/\($0["name"]!)" } ==
                    ["en/en/main/English", "es-dub/es/dub/Español", "en-description/en/description/English (audio description)", "de-dub/de/dub/Deutsch"])
            let subtitles = summary["subtitles"] as? [[String: Any]] ?? []
            #expect(subtitles.map { "\($0["id"]!)/\($0["kind"]!)" } == ["en/subtitles", "fr-forced/forced", "es/subtitles", "ja-sdh/sdh"])

            // Every independent check of the core package, with four audio renditions in the group.
            var audit = PackageAudit(root: output, masterDuration: try masterDuration(master))
            try audit.run()
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))")
            print(audit.notes.joined(separator: "\n"))

            try checkMasterPlaylist(output)
            try checkMPD(output)
            try checkClients(output)
            try checkSync(output)
        }

        /// HLS authoring spec 2.12–2.15: languages, unique names, one default, accessibility characteristics.
        func checkMasterPlaylist(_ output: URL) throws {
            let master = try MasterPlaylistFile(contentsOf: output.appendingPathComponent("master.m3u8"))
            let audio = master.media.filter { $0["TYPE"] == "AUDIO" }
            #expect(audio.compactMap { $0["LANGUAGE"] } == ["en", "es", "en", "de"])
            #expect(audio.filter { $0["DEFAULT"] == "YES" }.compactMap { $0["NAME"] } == ["English"])
            #expect(audio.allSatisfy { $0["AUTOSELECT"] == "YES" && $0["CHANNELS"] == "2" })
            let described = try #require(audio.first { $0["CHARACTERISTICS"] == "public.accessibility.describes-video" })
            #expect(described["NAME"]?.contains("description") == true && described["LANGUAGE"] == "en")
            let subtitles = master.media.filter { $0["TYPE"] == "SUBTITLES" }
            #expect(subtitles.compactMap { $0["LANGUAGE"] } == ["en", "fr", "es", "ja"])
            #expect(subtitles.filter { $0["FORCED"] == "YES" }.compactMap { $0["LANGUAGE"] } == ["fr"])
            #expect(subtitles.first { $0["LANGUAGE"] == "ja" }?["CHARACTERISTICS"] ==
                    "public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound")
            #expect(Set(subtitles.compactMap { $0["NAME"] }).count == 4)
            #expect(master.variants.allSatisfy { $0.attributes["SUBTITLES"] == "subs" && $0.attributes["AUDIO"] != nil })
            // Every subtitle segment is WebVTT with its own timestamp map.
            for track in ["en", "fr-forced", "es", "ja-sdh"] {
                let folder = output.appendingPathComponent("subtitles/\(track)")
                let playlist = try MediaPlaylistFile(contentsOf: folder.appendingPathComponent("index.m3u8"))
                #expect(playlist.entries.count == 2)
                for entry in playlist.entries {
                    let text = try String(contentsOf: folder.appendingPathComponent(entry.uri), encoding: .utf8)
                    #expect(text.hasPrefix("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:"), "\(track)/\(entry.uri)")
                }
            }
        }

        /// DASH: an AdaptationSet per audio language and role, audio description signalled both ways, text sets.
        func checkMPD(_ output: URL) throws {
            let document = try XMLDocument(contentsOf: output.appendingPathComponent("manifest.mpd"))
            let sets = try document.nodes(forXPath: "//*[local-name()='AdaptationSet']").compactMap { $0 as? XMLElement }
            // attribute(forName:) misses attributes of namespaced elements in Linux's FoundationXML; the list does not.
            func attribute(_ element: XMLElement, _ name: String) -> String? {
                element.attributes?.first { $0.name == name }?.stringValue
            }
            func children(_ element: XMLElement, _ name: String) -> [XMLElement] { element.elements(forName: name) }
            let audio = sets.filter { attribute($0, "contentType") == "audio" }
            #expect(audio.compactMap { attribute($0, "lang") } == ["en", "es", "en", "de"])
            #expect(audio.map { children($0, "Role").compactMap { attribute($0, "value") } } == [["main"], ["dub"], ["alternate"], ["dub"]])
            #expect(audio.allSatisfy { children($0, "AudioChannelConfiguration").first.flatMap { attribute($0, "value") } == "2" })
            let accessibility = children(audio[2], "Accessibility").map { "\(attribute($0, "schemeIdUri") ?? "") \(attribute($0, "value") ?? "")" }
            #expect(accessibility.contains("urn:mpeg:dash:role:2011 description"))
            #expect(accessibility.contains("urn:tva:metadata:cs:AudioPurposeCS:2007 1"))
            let text = sets.filter { attribute($0, "contentType") == "text" }
            #expect(text.compactMap { attribute($0, "lang") } == ["en", "fr", "es", "ja"])
            #expect(text.allSatisfy { attribute($0, "mimeType") == "text/vtt" })
            // isoff-live: text too is addressed by SegmentTemplate, over the WebVTT segments HLS uses.
            let textMedia = text.map { children($0, "Representation").flatMap { children($0, "SegmentTemplate") }.compactMap { attribute($0, "media") } }
            #expect(textMedia == ["en", "fr-forced", "es", "ja-sdh"].map { ["subtitles/\($0)/seg-$Number$.vtt"] })
            // Representation ids are unique within the Period (ISO/IEC 23009-1 §5.3.5.2), though audio and text share languages.
            let ids = try document.nodes(forXPath: "//*[local-name()='Representation']").compactMap { ($0 as? XMLElement).flatMap { attribute($0, "id") } }
            #expect(Set(ids).count == ids.count && ids.contains("audio-en") && ids.contains("text-en"), "\(ids)")
            #expect(text.map { children($0, "Role").compactMap { attribute($0, "value") } } == [["subtitle"], ["forced-subtitle"], ["subtitle"], ["caption"]])
        }

        /// ffprobe lists every rendition with its language, ffmpeg decodes each audio rendition to the end,
        /// and the caption text comes back intact with its times.
        func checkClients(_ output: URL) throws {
            let server = try LoopbackHTTPServer(serving: output)
            let modern = try #require(ModernFFmpeg.ffprobe, "scripts/install-deps installs the current ffprobe from PyPI")
            let hls = try Players.probe(server.url("master.m3u8"), ffprobe: modern)
            let dash = try Players.probe(server.url("manifest.mpd"))
            for probe in [hls, dash] {
                #expect(probe.streams.filter { $0.codec_type == "audio" }.compactMap(\.language) == ["en", "es", "en", "de"])
                #expect(probe.streams.filter { $0.codec_type == "subtitle" }.compactMap(\.language) == ["en", "fr", "es", "ja"])
            }
            for index in 0..<4 {
                let decoded = try Players.ffmpegDecode(server.url("master.m3u8"), map: "0:a:\(index)")
                #expect(decoded.succeeded && decoded.stderr.isEmpty, "audio rendition \(index): \(decoded.stderr)")
                let span = try Players.span(server.url("master.m3u8"), stream: "a:\(index)") ?? 0
                #expect(abs(span - 8) < 0.1, "audio rendition \(index) spans \(span) s")
            }
            let modernFFmpeg = try #require(ModernFFmpeg.ffmpeg)
            for (position, track) in ["en", "fr-forced", "es", "ja-sdh"].enumerated() {
                let viaHLS = try ToolRunner.require(modernFFmpeg, ["-v", "error", "-copyts", "-i", server.url("subtitles/\(track)/index.m3u8"),
                                                                  "-c:s", "webvtt", "-f", "webvtt", "-"])
                let viaDASH = try ToolRunner.require("ffmpeg", ["-v", "error", "-copyts", "-i", server.url("manifest.mpd"),
                                                                "-map", "0:s:\(position)", "-c:s", "webvtt", "-f", "webvtt", "-"])
                for (client, text) in [("HLS", viaHLS.stdout), ("DASH", viaDASH.stdout)] {
                    // A cue spanning a segment boundary is in both segments (so a player that starts at either
                    // shows it); ffmpeg's DASH reader passes on both copies, where players keep one.
                    var cues: [ReadCue] = []
                    for cue in WebVTTCues.read(text) where client == "HLS" || !cues.contains(cue) { cues.append(cue) }
                    let expected = try #require(Self.expected[track])
                    #expect(cues.map(\.text) == expected.map(\.text), "\(track) via \(client): \(cues)")
                    for (cue, want) in zip(cues, expected) {
                        #expect(abs(cue.start - want.start) <= 0.01 && abs(cue.end - want.end) <= 0.01, "\(track) via \(client): \(cue) vs \(want)")
                    }
                }
            }
        }

        /// Audio starts with the video (within one AAC frame) and WebVTT's timestamp map names the video's first frame.
        func checkSync(_ output: URL) throws {
            func firstTime(_ folder: String, _ stream: String) throws -> Double {
                let directory = output.appendingPathComponent(folder)
                let joined = output.appendingPathComponent("first-\(UUID().uuidString).mp4")
                defer { try? FileManager.default.removeItem(at: joined) }
                try (Data(contentsOf: directory.appendingPathComponent("init.mp4")) + Data(contentsOf: directory.appendingPathComponent("seg-1.m4s"))).write(to: joined)
                // The first packet: an IDR frame (earliest in presentation) or the first AAC frame.
                let result = try ToolRunner.require("ffprobe", ["-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time",
                                                                "-of", "csv=p=0", "-read_intervals", "%+#1", joined.path])
                return Double(result.stdout.split(separator: "\n").first ?? "") ?? -1
            }
            let video = try firstTime("video/360p", "v:0")
            for track in ["en", "es-dub", "en-description", "de-dub"] {
                let audio = try firstTime("audio/\(track)", "a:0")
                #expect(audio <= video + 0.0005 && video - audio < 1024.0 / 48000 + 0.0005, "\(track) starts at \(audio) s, video at \(video) s")
            }
            let segment = try String(contentsOf: output.appendingPathComponent("subtitles/es/seg-1.vtt"), encoding: .utf8)
            let mpegts = Double(segment.split(separator: "\n")[1].split(separator: ":")[1].split(separator: ",")[0]) ?? -1
            #expect(abs(mpegts / 90_000 - video) < 0.001, "X-TIMESTAMP-MAP MPEGTS \(mpegts) should be the first video frame, \(video) s")
        }
    }

    @Suite("transcode: bad sidecars are refused before any work")
    struct BadSidecarTests {
        func run(_ extra: [String], in folder: URL) throws -> ToolResult {
            let output = folder.appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", try TestMasters.path(TestMasters.silent), "--output", output.path] + extra)
            #expect(!FileManager.default.fileExists(atPath: output.path))
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            return result
        }

        @Test("a caption file with a broken timestamp names the file and line")
        func brokenTimestamp() throws {
            let folder = try makeTemporaryDirectory("badcaptions")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("broken.srt")
            try "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 --> 00:00:04;000\nbroken\n".write(to: file, atomically: true, encoding: .utf8)
            let result = try run(["--captions", "en=\(file.path)"], in: folder)
            #expect(result.status == 65)
            #expect(result.stderr.hasPrefix("strata: error: captions '\(file.path)' line 6: broken timestamp"), "\(result.stderr)")
        }

        @Test("an empty caption file is refused")
        func emptyCaptions() throws {
            let folder = try makeTemporaryDirectory("emptycaptions")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("empty.vtt")
            try Data().write(to: file)
            let result = try run(["--captions", "en=\(file.path)"], in: folder)
            #expect(result.status == 65)
            #expect(result.stderr.contains("empty.vtt") && result.stderr.contains("no cues"), "\(result.stderr)")
        }

        @Test("a sidecar that is not audio is refused", arguments: ["text", "video-only"])
        func notAudio(kind: String) throws {
            let folder = try makeTemporaryDirectory("notaudio")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file: String
            if kind == "text" {
                file = folder.appendingPathComponent("notes.m4a").path
                try "not audio".write(toFile: file, atomically: true, encoding: .utf8)
            } else {
                file = try TestMasters.path(TestMasters.silent)
            }
            let result = try run(["--audio", "es=\(file)"], in: folder)
            #expect(result.status == 65)
            #expect(result.stderr.contains("sidecar audio '\(file)' (es)"), "\(result.stderr)")
            #expect(result.stderr.contains(kind == "text" ? "not a media file" : "has no audio stream"), "\(result.stderr)")
        }

        @Test("an unknown language code is refused", arguments: ["--audio", "--captions"])
        func unknownLanguage(option: String) throws {
            let folder = try makeTemporaryDirectory("language")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try run([option, "xx=\(folder.path)/whatever"], in: folder)
            #expect(result.status == 64)
            #expect(result.stderr.contains("unknown language code 'xx'"), "\(result.stderr)")
        }
    }
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("chunked encoding on the shared queue: one long master, many workers, the package of a single run")
    struct ChunkedQueueTests {
        /// Two small rungs, 2 s segments, and chunks of 10 segments for masters of a minute or more.
        static let profile = """
            name: chunky
            segment_seconds: 2
            gop_seconds: 2
            chunking:
              min_master_seconds: 60
              segments_per_chunk: 10
            renditions:
              - name: 180p
                height: 180
                bitrate: 250k
              - name: 120p
                height: 120
                bitrate: 120k
            audio:
              bitrate: 64k
            """

        /// Waits until a worker holds a chunk unit and has written one of its segments; returns the worker's name.
        func workerEncodingAChunk(_ cluster: PostgresCluster) throws -> String {
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline {
                let worker = try cluster.psql("""
                    SELECT worker FROM strata_unit WHERE kind = 'chunk' AND state = 'running' AND progress > 0 ORDER BY id LIMIT 1
                    """).trimmingCharacters(in: .whitespacesAndNewlines)
                if !worker.isEmpty { return worker }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("no worker ever encoded a chunk")
        }

        /// What a player saw while the job ran: the seconds the asset said were ready, and the rung's playlist then.
        struct Glimpse {
            var secondsReady: Double
            var playlist: String
            var segments: [String] { playlist.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".m4s") } }
        }

        /// Follows the asset until it settles, keeping what the 180p playlist listed each time the asset was
        /// playable before it was ready.
        func watchUntilSettled(_ server: ServerProcess, _ id: String) throws -> (asset: [String: Any], glimpses: [Glimpse]) {
            var glimpses: [Glimpse] = []
            let deadline = Date().addingTimeInterval(900)
            while Date() < deadline {
                let asset = try server.asset(id)
                let status = asset["status"] as? String
                if status == "ready" || status == "failed" { return (asset, glimpses) }
                if asset["playable"] as? Bool == true {
                    let playlist = try HTTP.request(server.url("/stream/\(id)/video/180p/index.m3u8"))
                    #expect(playlist.status == 200, "a playable asset's playlist: \(playlist.status)")
                    glimpses.append(Glimpse(secondsReady: asset["secondsReady"] as? Double ?? 0, playlist: playlist.text))
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
            throw ToolError("asset \(id) did not settle: \(try server.asset(id))")
        }

        @Test("a 3-minute master: chunks spread over three workers, one killed mid-chunk; playable while its chunks encode; same segments and audio as one process; plays in ffmpeg and GStreamer")
        func chunkedAcrossWorkers() throws {
            let cluster = try PostgresCluster()
            defer { cluster.stop() }
            let data = try makeTemporaryDirectory("chunked-queue")
            let server = try startServer(["--database", cluster.url, "--workers", "0"], data: data, keepLog: true)
            defer { server.stop() }
            let defined = try HTTP.request(server.url("/v1/profiles/chunky"), method: "PUT", headers: server.auth, body: Self.profile)
            #expect(defined.status == 201, "\(defined.text)")
            var workers = try ["w1", "w2", "w3"].map { try WorkerProcess(queue: cluster.url, data: data, name: $0, leaseSeconds: 3) }
            defer { for worker in workers { worker.stop() } }

            let master = try TestMasters.path(TestMasters.threeMinutes)
            let id = try #require(try server.upload(master, profile: "chunky", title: "long").json["id"] as? String)
            #expect(try server.publish(id).status == 200)
            let doomed = try workerEncodingAChunk(cluster)
            let killedUnit = try cluster.psql("SELECT id FROM strata_unit WHERE kind = 'chunk' AND state = 'running' AND worker = '\(doomed)' LIMIT 1")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            workers.first { $0.name == doomed }!.crash()
            workers.removeAll { $0.name == doomed }

            let (asset, glimpses) = try watchUntilSettled(server, id)
            #expect(asset["status"] as? String == "ready", "\(asset)\n\(server.log.suffix(3000))")
            let units = try #require(asset["units"] as? [[String: Any]], "\(asset)")
            #expect(units.map { $0["kind"] as? String ?? "" } == ["plan", "audio"] + Array(repeating: "chunk", count: 9) + ["assemble"], "\(units)")
            #expect(units.allSatisfy { $0["state"] as? String == "done" && ($0["seconds"] as? Double ?? 0) > 0 }, "\(units)")
            let chunks = units.filter { $0["kind"] as? String == "chunk" }
            #expect(chunks.compactMap { $0["chunk"] as? Int } == Array(0..<9), "each chunk once, in timeline order")
            let chunkWorkers = Set(chunks.compactMap { $0["worker"] as? String })
            #expect(chunkWorkers.count >= 2, "chunks were encoded by \(chunkWorkers)")
            // The killed worker's chunk: its lease ran out, a live worker redid it, and every unit was done once.
            let attempts = try cluster.psql("SELECT worker || ' ' || COALESCE(outcome, 'open') FROM strata_unit_attempt WHERE unit_id = \(killedUnit) ORDER BY id")
                .split(separator: "\n").map(String.init)
            #expect(attempts.count == 2 && attempts.first == "\(doomed) lease expired", "\(attempts)")
            #expect(attempts.last?.hasSuffix(" done") == true && attempts.last?.hasPrefix(doomed) == false, "\(attempts)")
            #expect(try cluster.psql("SELECT count(*) FROM strata_unit WHERE asset_id = '\(id)' AND state = 'done'") == "12\n")
            #expect(try cluster.psql("SELECT count(*) FROM strata_unit_attempt WHERE outcome = 'done'") == "12\n")

            // The same profile in one process, as the reference.
            let folder = try makeTemporaryDirectory("chunked-reference")
            let profileFile = folder.appendingPathComponent("chunky.yaml")
            try Self.profile.write(to: profileFile, atomically: true, encoding: .utf8)
            let reference = folder.appendingPathComponent("package")
            let single = try StrataBinary.run(["transcode", master, "--profile", profileFile.path, "--output", reference.path, "--fast-start"])
            #expect(single.status == 0, "\(single.stderr)")
            for rung in ["180p", "120p"] {
                let made = try HTTP.request(server.url("/stream/\(id)/video/\(rung)/index.m3u8")).text
                let expected = try String(contentsOf: reference.appendingPathComponent("video/\(rung)/index.m3u8"), encoding: .utf8)
                let withoutRates = { (text: String) in text.split(separator: "\n").filter { !$0.contains("BANDWIDTH") } }
                #expect(withoutRates(made) == withoutRates(expected), "\(rung): the same segments and durations as one process")
                #expect(made.components(separatedBy: "#EXTINF").count - 1 == 90)
                if rung == "180p" { try checkGlimpses(glimpses, final: made) }
            }
            // No join inside the audio: it is encoded whole, byte for byte what one process makes.
            let package = data.appendingPathComponent("assets/\(id)/v1")
            let audio = try FileManager.default.subpathsOfDirectory(atPath: reference.appendingPathComponent("audio").path).filter { $0.hasSuffix(".m4s") }
            #expect(audio.count == 90)
            let differing = audio.filter {
                FileManager.default.contents(atPath: package.appendingPathComponent("audio/\($0)").path)
                    != FileManager.default.contents(atPath: reference.appendingPathComponent("audio/\($0)").path)
            }
            #expect(differing.isEmpty, "audio segments that differ from one process's: \(differing.sorted())")
            for entry in ["master.m3u8", "manifest.mpd"] {
                let played = try Players.ffmpegDecode(server.url("/stream/\(id)/\(entry)"))
                #expect(played.status == 0 && played.stderr.isEmpty, "\(entry): \(played.stderr.suffix(2000))")
            }
            let gstreamer = try Players.gstreamer(server.url("/stream/\(id)/master.m3u8"))
            #expect(gstreamer.status == 0 && gstreamer.errors.isEmpty, "\(gstreamer.errors)")
            #expect((gstreamer.lastVideoTime ?? 0) > 179 && (gstreamer.lastAudioTime ?? 0) > 179, "\(gstreamer)")
        }

        /// Before the assembly, players saw the package grow in timeline order: every listing a growing EVENT
        /// playlist that begins the final one, and the seconds ready never going back.
        func checkGlimpses(_ glimpses: [Glimpse], final: String) throws {
            let finalSegments = final.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".m4s") }
            let partial = glimpses.filter { $0.segments.count < 90 }
            #expect(!partial.isEmpty, "the asset was never playable before all its chunks were done: \(glimpses.map(\.secondsReady))")
            for glimpse in partial {
                #expect(glimpse.playlist.contains("#EXT-X-PLAYLIST-TYPE:EVENT") && !glimpse.playlist.contains("#EXT-X-ENDLIST"), "\(glimpse.playlist)")
                #expect(!glimpse.segments.isEmpty)
                #expect(glimpse.segments == Array(finalSegments.prefix(glimpse.segments.count)), "a listing that is not the start of the final one")
            }
            let seconds = glimpses.map(\.secondsReady)
            #expect(seconds.contains { $0 > 0 }, "\(seconds)")
            #expect(zip(seconds, seconds.dropFirst()).allSatisfy { $0 <= $1 }, "\(seconds)")
            let counts = partial.map(\.segments.count)
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 }, "\(counts)")
        }
    }
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("durable jobs: crashes and shutdowns lose no work")
    struct RecoveryTests {
        /// Waits until the asset's transcode has written a segment into its package folder.
        func waitUntilEncoding(_ server: ServerProcess, _ id: String) throws {
            let segment = server.dataDirectory.appendingPathComponent("assets/\(id)/v1/video/360p/seg-1.m4s")
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if FileManager.default.fileExists(atPath: segment.path) {
                    #expect(try server.asset(id)["status"] as? String == "processing")
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("the transcode never started writing segments")
        }

        /// Polls until the asset says players can start.
        func waitUntilPlayable(_ server: ServerProcess, _ id: String) throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(180)
            while Date() < deadline {
                let asset = try server.asset(id)
                if asset["playable"] as? Bool == true { return asset }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ToolError("asset \(id) never became playable")
        }

        /// Fetches a media playlist of the published asset and every file it lists, by path under `/stream/`.
        func fetchListed(_ server: ServerProcess, _ id: String, playlist: String) throws -> [String: Data] {
            let folder = "/stream/\(id)/" + playlist.replacingOccurrences(of: "index.m3u8", with: "")
            let text = try HTTP.request(server.url(folder + "index.m3u8")).text
            var fetched: [String: Data] = [:]
            for uri in ["init.mp4"] + text.split(separator: "\n").filter({ !$0.hasPrefix("#") }).map(String.init) {
                let response = try HTTP.request(server.url(folder + uri))
                #expect(response.status == 200, "\(folder + uri): \(response.status)")
                fetched[folder + uri] = response.body
            }
            return fetched
        }

        @Test("kill -9 mid-transcode of a published asset: playable before, completed after restart, no fetched segment changed")
        func crash() throws {
            let data = try makeTemporaryDirectory("crash")
            let master = try TestMasters.path(TestMasters.hd1080)
            var server = try startServer(data: data)
            let id = try #require(try server.upload(master).json["id"] as? String)
            #expect(try server.publish(id).status == 200)
            let playable = try waitUntilPlayable(server, id)
            #expect(playable["status"] as? String == "processing", "\(playable)")
            #expect((playable["secondsReady"] as? Double ?? 0) > 0, "\(playable)")
            let growing = try HTTP.request(server.url("/stream/\(id)/video/360p/index.m3u8"))
            #expect(growing.text.contains("#EXT-X-PLAYLIST-TYPE:EVENT"))
            #expect(growing.header("Cache-Control") == "public, max-age=1", "growing playlists are cached briefly")
            let before = try fetchListed(server, id, playlist: "video/360p/index.m3u8")
                .merging(try fetchListed(server, id, playlist: "audio/und/index.m3u8")) { $1 }
            #expect(before.count >= 4)
            let firstSegment = data.appendingPathComponent("assets/\(id)/v1/video/360p/seg-1.m4s").path
            let inode = try FileManager.default.attributesOfItem(atPath: firstSegment)[.systemFileNumber] as? Int
            server.crash()

            server = try startServer(data: data)
            defer { server.stop() }
            let finished = try server.waitUntilSettled(id)
            #expect(finished["status"] as? String == "ready", "\(finished)")
            for (path, bytes) in before.sorted(by: { $0.key < $1.key }) {
                #expect(try HTTP.request(server.url(path)).body == bytes, "\(path) changed after the restart")
            }
            // Kept, not rewritten with equal bytes: the file players had is the very same one.
            #expect(try FileManager.default.attributesOfItem(atPath: firstSegment)[.systemFileNumber] as? Int == inode)
            let final = try HTTP.request(server.url("/stream/\(id)/video/360p/index.m3u8"))
            #expect(final.text.hasSuffix("#EXT-X-ENDLIST\n"))
            #expect(final.header("Cache-Control") == "public, max-age=10")

            let package = data.appendingPathComponent("assets/\(id)/v1")
            let reference = try makeTemporaryDirectory("crash-reference").appendingPathComponent("package")
            let clean = try StrataBinary.run(["transcode", master, "--fast-start", "--output", reference.path])
            #expect(clean.status == 0, "\(clean.stderr)")
            #expect(try PackageStructure.describe(package) == PackageStructure.describe(reference))
            var players = PlayerChecks(baseURL: server.url("/stream/\(id)"), masterDuration: 8, videoFrameRate: 30)
            try players.run()
            #expect(players.problems.isEmpty, "\(players.problems.joined(separator: "\n"))")
        }

        @Test("SIGTERM during a transcode: a clean exit, the job goes back to the queue and completes after restart")
        func gracefulShutdown() throws {
            let data = try makeTemporaryDirectory("sigterm")
            var server = try startServer(data: data)
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.hd1080)).json["id"] as? String)
            try waitUntilEncoding(server, id)
            let started = Date()
            #expect(server.stop() == 0)
            #expect(Date().timeIntervalSince(started) < 20, "shutdown should not wait for the transcode to finish")

            server = try startServer(data: data)
            defer { server.stop() }
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
        }
    }
}

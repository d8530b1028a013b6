import Foundation
import Logging
import StrataManifest
@testable import StrataMedia
import StrataProfiles
import Synchronization
import Testing
import TestSupport

@Suite("ChunkTimelineFeed: a package encoded in chunks is listed as its audio and leading chunks finish", .serialized)
struct ChunkTimelineFeedTests {
    /// One small rung and 2 s segments: the 16 s master is 8 segments, 4 chunks of 2.
    static let profile = """
        name: small
        segment_seconds: 2
        gop_seconds: 2
        renditions:
          - name: 180p
            height: 180
            bitrate: 250k
        audio:
          bitrate: 64k
        """

    let transcoder = ChunkedTranscoder()

    func request(_ name: String) throws -> TranscodeRequest {
        let folder = try makeTemporaryDirectory(name)
        return TranscodeRequest(masterPath: try TestMasters.path(TestMasters.sparseKeyframes),
                                profile: try ProfileParser.parse(Self.profile, source: "test"),
                                outputDirectory: folder.appendingPathComponent("package"), overwrite: true)
    }

    /// The segments the rung's playlist lists now, and its playlist type; nil before the first listing.
    func listing(_ request: TranscodeRequest) throws -> (type: String, segments: [String])? {
        let url = request.outputDirectory.appendingPathComponent("video/180p/index.m3u8")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let type = lines.first { $0.hasPrefix("#EXT-X-PLAYLIST-TYPE:") }?.dropFirst("#EXT-X-PLAYLIST-TYPE:".count) ?? ""
        return (String(type) + (lines.contains("#EXT-X-ENDLIST") ? "+ENDLIST" : ""), lines.filter { $0.hasSuffix(".m4s") })
    }

    @Test("chunks done out of order are listed only behind the audio and every chunk before them, in timeline order")
    func timelineOrder() throws {
        let request = try request("chunk-feed")
        let plan = try transcoder.plan(request, segmentsPerChunk: 2)
        #expect(plan.chunks.count == 4 && plan.expectedEndFrame == 400)
        let published = Mutex<[Double]>([])
        let feed = try ChunkTimelineFeed(request, plan: plan, logger: Logger(label: "test"), onPublish: { seconds in
            published.withLock { $0.append(seconds) }
        })
        let chunk1 = try transcoder.encode(chunk: 1, of: request)
        try feed.chunkFinished(chunk1)
        let chunk0 = try transcoder.encode(chunk: 0, of: request)
        try feed.chunkFinished(chunk0)
        #expect(published.withLock { $0 }.isEmpty, "nothing is listed before the audio is done")
        #expect(try listing(request) == nil)

        try feed.audioFinished(try transcoder.encodeAudio(of: request))
        #expect(published.withLock { $0 } == [8], "chunks 0 and 1 listed at once: 4 segments of 2 s")
        let early = try #require(try listing(request))
        #expect(early.type == "EVENT" && early.segments.count == 4, "\(early)")
        let mpd = try String(contentsOf: request.outputDirectory.appendingPathComponent("manifest.mpd"), encoding: .utf8)
        #expect(mpd.contains("type=\"dynamic\""))

        try feed.chunkFinished(try transcoder.encode(chunk: 3, of: request))
        #expect(published.withLock { $0.last } == 8, "chunk 3 waits for chunk 2")
        try feed.chunkFinished(try transcoder.encode(chunk: 2, of: request))
        try feed.chunkFinished(chunk1)  // reported twice: nothing changes
        #expect(published.withLock { $0 } == [8, 16], "chunks 2 and 3 listed at once, the duplicate not at all")
        let growing = try #require(try listing(request))
        #expect(growing.type == "EVENT" && growing.segments.count == 8)
        #expect(Array(growing.segments.prefix(4)) == early.segments, "the listing only grows at its end")

        _ = try transcoder.assemble(request)
        let final = try #require(try listing(request))
        #expect(final.type == "VOD+ENDLIST" && final.segments == growing.segments)
    }

    @Test("audio cut where the container said the video ends, when it ends elsewhere: the last chunk is held back and the assembly encodes the audio again")
    func mispredictedEnd() throws {
        let request = try request("chunk-feed-end")
        var plan = try transcoder.plan(request, segmentsPerChunk: 2)
        // As if the container claimed half a second more video than there is.
        plan.expectedEndFrame += 13
        let work = ChunkWorkFolder(package: request.outputDirectory)
        try work.write(plan, as: ChunkWorkFolder.plan)
        let published = Mutex<[Double]>([])
        let feed = try ChunkTimelineFeed(request, plan: plan, logger: Logger(label: "test"), onPublish: { seconds in
            published.withLock { $0.append(seconds) }
        })
        let audio = try transcoder.encodeAudio(of: request)
        #expect(audio.videoEndFrame == 413)
        let padded = try #require(audio.audio.first).timeline.presentationDurationSeconds
        #expect(padded > 16.4, "the audio was cut at the predicted end: \(padded) s")
        try feed.audioFinished(audio)
        for chunk in plan.chunks { try feed.chunkFinished(try transcoder.encode(chunk: chunk.index, of: request)) }
        #expect(published.withLock { $0.last } == 12, "the last chunk is not listed with audio that does not end with it")

        _ = try transcoder.assemble(request)
        let facts = try JSONDecoder().decode(PackageFacts.self, from: Data(contentsOf: request.outputDirectory.appendingPathComponent("package.json")))
        let video = try #require(facts.video.first).timeline.presentationDurationSeconds
        let sound = try #require(facts.audio.first).timeline.presentationDurationSeconds
        #expect(abs(video - 16) < 0.001)
        #expect(abs(sound - video) < 0.05, "the assembly cut the audio again at the video's end: \(sound) s vs \(video) s")
    }
}

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

    /// The seconds a feed has published, in order.
    final class PublishedSeconds: Sendable {
        private let seconds = Mutex<[Double]>([])

        func withLock<Result>(_ body: (inout [Double]) -> Result) -> Result { seconds.withLock { body(&$0) } }
    }

    /// A feed for `plan`, and the seconds it publishes.
    func feed(_ request: TranscodeRequest, plan: ChunkPlan) throws -> (ChunkTimelineFeed, PublishedSeconds) {
        let published = PublishedSeconds()
        let feed = try ChunkTimelineFeed(request, plan: plan, logger: Logger(label: "test"), onPublish: { seconds in
            published.withLock { $0.append(seconds) }
        })
        return (feed, published)
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
        let (feed, published) = try feed(request, plan: plan)
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

    @Test("the leading chunk is listed segment by segment from its journal while it encodes, as far as the audio goes; its completion adds only the rest")
    func leadingChunkJournal() throws {
        let request = try request("chunk-feed-partial")
        let plan = try transcoder.plan(request, segmentsPerChunk: 2)
        let (feed, published) = try feed(request, plan: plan)
        let chunk0 = try transcoder.encode(chunk: 0, of: request)
        let work = ChunkWorkFolder(package: request.outputDirectory)
        let journal = try work.read(UnitJournal.self, from: ChunkWorkFolder.partialChunk(0), madeBy: "chunk 0")
        #expect(journal.video.map { $0.timeline.segments } == chunk0.video.map { $0.timeline.segments }, "the journal ends with the whole chunk")
        // As the worker left it after its first segment.
        var firstSegment = journal
        for rung in firstSegment.video.indices {
            firstSegment.video[rung].timeline.segments.removeLast()
            firstSegment.video[rung].iFrames.removeAll { $0.file == journal.video[rung].timeline.segments.last?.file }
        }
        try work.write(firstSegment, as: ChunkWorkFolder.partialChunk(0))
        try feed.unitsProgressed()
        #expect(published.withLock { $0 }.isEmpty, "nothing before the audio")

        try feed.audioFinished(try transcoder.encodeAudio(of: request))
        #expect(published.withLock { $0 } == [2], "the first segment of chunk 0")
        try feed.unitsProgressed()
        try feed.unitsProgressed()
        try work.write(journal, as: ChunkWorkFolder.partialChunk(0))
        try feed.unitsProgressed()
        #expect(published.withLock { $0 } == [2, 4])
        try feed.chunkFinished(chunk0)
        #expect(published.withLock { $0 } == [2, 4], "chunk 0's completion brings nothing new")
        #expect(try listing(request)?.segments == ["seg-1.m4s", "seg-2.m4s"])
        try feed.chunkFinished(try transcoder.encode(chunk: 1, of: request))
        #expect(published.withLock { $0 } == [2, 4, 8])
        #expect(try listing(request)?.segments == ["seg-1.m4s", "seg-2.m4s", "seg-3.m4s", "seg-4.m4s"])
    }

    @Test("the audio is listed from its journal as it encodes, before its unit is reported done")
    func audioJournal() throws {
        let request = try request("chunk-feed-audio")
        let plan = try transcoder.plan(request, segmentsPerChunk: 2)
        let (feed, published) = try feed(request, plan: plan)
        try feed.chunkFinished(try transcoder.encode(chunk: 0, of: request))
        let audio = try transcoder.encodeAudio(of: request)
        let work = ChunkWorkFolder(package: request.outputDirectory)
        let journal = try work.read(UnitJournal.self, from: ChunkWorkFolder.partialAudio, madeBy: "the audio")
        #expect(journal.audio.map(\.timeline.segments) == audio.audio.map(\.timeline.segments), "the journal ends with the whole track")
        // As the worker left it after its first segment.
        var first = journal
        for track in first.audio.indices { first.audio[track].timeline.segments = [journal.audio[track].timeline.segments[0]] }
        try work.write(first, as: ChunkWorkFolder.partialAudio)
        try feed.unitsProgressed()
        #expect(published.withLock { $0 } == [2], "chunk 0's first segment, with the audio's first")
        try work.write(journal, as: ChunkWorkFolder.partialAudio)
        try feed.unitsProgressed()
        #expect(published.withLock { $0 } == [2, 4], "all of chunk 0")
        try feed.audioFinished(audio)
        #expect(published.withLock { $0 } == [2, 4], "the audio's completion brings nothing new")
        let lines = try String(contentsOf: request.outputDirectory.appendingPathComponent("audio/\(try #require(audio.audio.first).id)/index.m3u8"),
                               encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix(".m4s") } == ["seg-1.m4s", "seg-2.m4s"])
    }

    @Test("a chunk encoded again after its worker died keeps the segments its journal lists exactly as they are")
    func journalKeptOnRetry() throws {
        let request = try request("chunk-journal-retry")
        _ = try transcoder.plan(request, segmentsPerChunk: 2)
        let first = try transcoder.encode(chunk: 1, of: request)
        let work = ChunkWorkFolder(package: request.outputDirectory)
        var journal = try work.read(UnitJournal.self, from: ChunkWorkFolder.partialChunk(1), madeBy: "chunk 1")
        // The first attempt got as far as one segment, which players may have, and which differs from a new encode.
        let rung = request.outputDirectory.appendingPathComponent("video/180p")
        let listed = rung.appendingPathComponent("seg-3.m4s")
        var bytes = try Data(contentsOf: listed)
        bytes.append(contentsOf: Array("listed before the crash".utf8))
        try bytes.write(to: listed)
        journal.video[0].timeline.segments = [journal.video[0].timeline.segments[0]]
        journal.video[0].timeline.segments[0].byteCount = bytes.count
        journal.video[0].iFrames.removeAll { $0.file != "seg-3.m4s" }
        try work.write(journal, as: ChunkWorkFolder.partialChunk(1))

        let again = try transcoder.encode(chunk: 1, of: request)
        #expect(try Data(contentsOf: listed) == bytes, "the listed segment's file was not replaced")
        #expect(again.video[0].timeline.segments[0].byteCount == bytes.count)
        // The rest is encoded again, over the same span (the bytes may differ: threaded x264 is not byte-exact from run to run).
        let (redone, before) = (again.video[0].timeline.segments[1], first.video[0].timeline.segments[1])
        #expect(redone.file == before.file && redone.start == before.start && redone.duration == before.duration)
    }

    @Test("audio cut where the container said the video ends, when it ends elsewhere: the last chunk is held back and the assembly encodes the audio again")
    func mispredictedEnd() throws {
        let request = try request("chunk-feed-end")
        var plan = try transcoder.plan(request, segmentsPerChunk: 2)
        // As if the container claimed half a second more video than there is.
        plan.expectedEndFrame += 13
        let work = ChunkWorkFolder(package: request.outputDirectory)
        try work.write(plan, as: ChunkWorkFolder.plan)
        let (feed, published) = try feed(request, plan: plan)
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

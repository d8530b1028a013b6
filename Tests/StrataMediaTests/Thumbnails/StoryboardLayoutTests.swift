import FFmpegBridge
import Foundation
@testable import StrataMedia
import StrataManifest
import StrataProfiles
import Testing

@Suite("Storyboard tiling and cues")
struct StoryboardLayoutTests {
    let layout = StoryboardLayout(tileWidth: 160, tileHeight: 90, intervalSeconds: 2)

    @Test("one tile per interval that starts before the end")
    func tileCounts() {
        #expect(layout.tileCount(durationSeconds: 10) == 5)
        #expect(layout.tileCount(durationSeconds: 10.01) == 6)
        #expect(layout.tileCount(durationSeconds: 9.99) == 5)
        #expect(layout.tileCount(durationSeconds: 0.5) == 1)
        #expect(layout.tileCount(durationSeconds: 0) == 0)
    }

    @Test("each tile shows the frame on screen at its start")
    func frameNumbers() {
        #expect((0..<4).map { layout.frameNumber(ofTile: $0, framesPerSecond: 30) } == [0, 60, 120, 180])
        #expect((0..<3).map { layout.frameNumber(ofTile: $0, framesPerSecond: 30000.0 / 1001) } == [0, 59, 119])
        #expect((0..<3).map { layout.frameNumber(ofTile: $0, framesPerSecond: 25) } == [0, 50, 100])
        // The last tile's frame exists exactly when the tile starts before the end (10 s at 25 fps: frames 0…249).
        let lastTile = layout.tileCount(durationSeconds: 10) - 1
        #expect(layout.frameNumber(ofTile: lastTile, framesPerSecond: 25) < 250)
        #expect(layout.frameNumber(ofTile: lastTile + 1, framesPerSecond: 25) >= 250)
    }

    @Test("sheets hold 10×10 tiles; a short one is only as wide as its tiles")
    func sheets() {
        let sheets = layout.sheets(tiles: 250)
        #expect(sheets.map(\.file) == ["storyboard-1.jpg", "storyboard-2.jpg", "storyboard-3.jpg"])
        #expect(sheets.map(\.tiles) == [100, 100, 50])
        #expect(sheets.map { "\($0.width)x\($0.height)" } == ["1600x900", "1600x900", "1600x450"])
        let short = layout.sheets(tiles: 7)
        #expect(short.map { "\($0.width)x\($0.height)/\($0.columns)" } == ["1120x90/7"])
        #expect(layout.sheets(tiles: 13).map { "\($0.width)x\($0.height)" } == ["1600x180"])
    }

    @Test("cues run back to back from 0 to the end, each inside its sheet")
    func cues() {
        let duration = 499.3
        let tiles = layout.tileCount(durationSeconds: duration)
        let facts = StoryboardFacts(intervalSeconds: 2, tileWidth: 160, tileHeight: 90, tiles: tiles, sheets: layout.sheets(tiles: tiles))
        let cues = facts.cues(durationSeconds: duration)
        #expect(cues.count == 250)
        #expect(cues.first?.start == 0)
        #expect(cues.last?.end == duration)
        #expect(zip(cues, cues.dropFirst()).allSatisfy { $0.end == $1.start && $0.start < $0.end })
        let sheets = Dictionary(uniqueKeysWithValues: facts.sheets.map { ($0.file, $0) })
        for cue in cues {
            let sheet = try! #require(sheets[cue.sheet])
            #expect(cue.x >= 0 && cue.y >= 0 && cue.x + cue.width <= sheet.width && cue.y + cue.height <= sheet.height, "\(cue)")
        }
        #expect(cues[100].payload == "storyboard-2.jpg#xywh=0,0,160,90")
        #expect(cues[99].payload == "storyboard-1.jpg#xywh=1440,810,160,90")
        #expect(cues[249].payload == "storyboard-3.jpg#xywh=1440,360,160,90")
    }

    @Test("storyboard.vtt is WebVTT with one #xywh cue per tile")
    func webVTT() {
        let facts = StoryboardFacts(intervalSeconds: 2, tileWidth: 160, tileHeight: 90, tiles: 3, sheets: layout.sheets(tiles: 3))
        #expect(facts.webVTT(durationSeconds: 5.5) == """
            WEBVTT

            00:00:00.000 --> 00:00:02.000
            storyboard-1.jpg#xywh=0,0,160,90

            00:00:02.000 --> 00:00:04.000
            storyboard-1.jpg#xywh=160,0,160,90

            00:00:04.000 --> 00:00:05.500
            storyboard-1.jpg#xywh=320,0,160,90

            """)
    }
}

@Suite("Thumbnail planning")
struct ThumbnailPlanTests {
    let profile = EncodingProfile(name: "t", renditions: [
        RenditionSpec(name: "1080p", height: 1080, bitrate: 5_000_000), RenditionSpec(name: "360p", height: 360, bitrate: 800_000),
    ])

    func ladder(width: Int, height: Int, rotation: Int = 0) throws -> LadderPlan {
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        stream.displayWidth = width
        stream.displayHeight = height
        stream.rotation = rotation
        stream.exactFrameRate = Rational(30, 1)
        return try LadderPlan(profile: profile, video: stream)
    }

    @Test("the poster is the top rung's size capped at 1280 on the long side; tiles keep the aspect ratio")
    func sizes() throws {
        let hd = try #require(ThumbnailPlan(spec: ThumbnailSpec(), ladder: try ladder(width: 1920, height: 1080), expectedDuration: 60))
        #expect(hd.poster.map { "\($0.width)x\($0.height)" } == "1280x720")
        #expect(hd.storyboard.map { "\($0.tileWidth)x\($0.tileHeight)" } == "160x90")
        #expect("\(hd.analysisWidth)x\(hd.analysisHeight)" == "320x180")
        // A phone clip stored 640×360 and turned a quarter: upright portrait stills, scored before the turn.
        let phone = try #require(ThumbnailPlan(spec: ThumbnailSpec(), ladder: try ladder(width: 360, height: 640, rotation: 90), expectedDuration: 4))
        #expect(phone.poster.map { "\($0.width)x\($0.height)" } == "360x640")
        #expect(phone.storyboard.map { "\($0.tileWidth)x\($0.tileHeight)" } == "160x284")
        #expect("\(phone.analysisWidth)x\(phone.analysisHeight)" == "320x180")
        #expect(ThumbnailPlan(spec: .off, ladder: try ladder(width: 1920, height: 1080), expectedDuration: 60) == nil)
    }

    @Test("poster candidates: 10% in, at most 10 s, or the profile's time, kept inside the master")
    func posterTimes() throws {
        #expect(ThumbnailPlan.posterStart(spec: ThumbnailSpec(), expectedDuration: 60) == 6)
        #expect(ThumbnailPlan.posterStart(spec: ThumbnailSpec(), expectedDuration: 3600) == 10)
        #expect(ThumbnailPlan.posterStart(spec: ThumbnailSpec(), expectedDuration: nil) == 0)
        #expect(ThumbnailPlan.posterStart(spec: ThumbnailSpec(posterSeconds: 5), expectedDuration: 60) == 5)
        #expect(ThumbnailPlan.posterStart(spec: ThumbnailSpec(posterSeconds: 50), expectedDuration: 8) == 6)
        let plan = try #require(ThumbnailPlan(spec: ThumbnailSpec(posterSeconds: 1), ladder: try ladder(width: 1920, height: 1080), expectedDuration: 60))
        #expect(plan.poster?.candidateFrames.sorted() == [30, 37, 45, 52, 60, 67, 75, 82])
    }
}

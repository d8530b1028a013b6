import StrataManifest

/// Where storyboard tiles go: up to `columns` × `rows` tiles per sprite sheet, left to right then top
/// to bottom, one cue per tile. A sheet with fewer tiles than `columns` is only as wide as its tiles.
struct StoryboardLayout: Sendable, Hashable {
    var tileWidth: Int
    var tileHeight: Int
    var intervalSeconds: Double
    var columns = 10
    var rows = 10

    var tilesPerSheet: Int { columns * rows }

    /// `storyboard-1.jpg`, `storyboard-2.jpg`, …
    static func sheetFile(number: Int) -> String { "storyboard-\(number).jpg" }

    /// Columns and pixel size of a sheet holding `tiles` tiles.
    func sheet(number: Int, tiles: Int) -> SpriteSheetFacts {
        let columns = min(self.columns, tiles)
        let rows = (tiles + columns - 1) / columns
        return SpriteSheetFacts(file: StoryboardLayout.sheetFile(number: number), width: columns * tileWidth, height: rows * tileHeight,
                                columns: columns, tiles: tiles)
    }

    /// The top-left corner of tile `index` (counted from 0 within its sheet) on a sheet of `columns` columns.
    func origin(ofTile index: Int, columns: Int) -> (x: Int, y: Int) {
        (index % columns * tileWidth, index / columns * tileHeight)
    }

    /// The sheets for `tiles` tiles in all.
    func sheets(tiles: Int) -> [SpriteSheetFacts] {
        stride(from: 0, to: tiles, by: tilesPerSheet).enumerated().map { sheet(number: $0.offset + 1, tiles: min(tilesPerSheet, tiles - $0.element)) }
    }

    /// How many tiles a video of `durationSeconds` gets: one for every interval that starts before its end.
    func tileCount(durationSeconds: Double) -> Int {
        guard durationSeconds > 0 else { return 0 }
        return Int((durationSeconds / intervalSeconds - 1e-9).rounded(.up))
    }

    /// The output frame shown by tile `index`: the one on screen at the tile's start.
    func frameNumber(ofTile index: Int, framesPerSecond: Double) -> Int {
        Int((Double(index) * intervalSeconds * framesPerSecond + 1e-6).rounded(.down))
    }
}

/// One seek-preview cue: from `start` to `end` seconds, show the tile at `x`,`y` of `sheet`.
struct StoryboardCue: Sendable, Hashable {
    var start: Double
    var end: Double
    var sheet: String
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    /// The cue's payload: the sheet's URL relative to the VTT file with a media fragment (W3C Media Fragments URI 1.0 §4.2.2).
    var payload: String { "\(sheet)#xywh=\(x),\(y),\(width),\(height)" }
}

extension StoryboardFacts {
    /// The cues of a storyboard for a video of `durationSeconds`: back to back from 0, the last ending with the video.
    func cues(durationSeconds: Double) -> [StoryboardCue] {
        let layout = StoryboardLayout(tileWidth: tileWidth, tileHeight: tileHeight, intervalSeconds: intervalSeconds)
        var cues: [StoryboardCue] = []
        var index = 0
        for sheet in sheets {
            for tile in 0..<sheet.tiles {
                let (x, y) = layout.origin(ofTile: tile, columns: sheet.columns)
                let start = Double(index) * intervalSeconds
                let end = index == tiles - 1 ? durationSeconds : min(start + intervalSeconds, durationSeconds)
                cues.append(StoryboardCue(start: start, end: end, sheet: sheet.file, x: x, y: y, width: tileWidth, height: tileHeight))
                index += 1
            }
        }
        return cues
    }

    /// `storyboard.vtt`: the thumbnail-track convention of JW Player, Mux and Video.js plug-ins.
    func webVTT(durationSeconds: Double) -> String {
        var text = "WEBVTT\n"
        for cue in cues(durationSeconds: durationSeconds) {
            text += "\n\(CueTiming.format(cue.start)) --> \(CueTiming.format(cue.end))\n\(cue.payload)\n"
        }
        return text
    }
}

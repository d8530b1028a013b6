import FFmpegBridge
import Foundation
import StrataManifest

/// Makes the poster and the storyboard on its own thread from the pictures the source already decoded.
///
/// Every output frame passes through its queue, but only the few it needs are touched: one per
/// storyboard interval (scaled to a tile at once, so at most one sheet of tiles is held) and the
/// poster candidates (scored on a small copy; only the best so far is kept, as a reference).
final class ThumbnailStage {
    private let plan: ThumbnailPlan
    private let input: BoundedQueue<DecodedVideoFrame>
    private let root: URL
    private let scaling: ScalingFilter
    /// Makes the small full-range copy a poster candidate is scored on.
    private let analysis: (scaler: Scaler, picture: Frame)?
    private let tilePicture: RenditionPicture?
    private var posterChoice = PosterChoice<Frame>()
    /// The latest frame, kept only until a candidate turns up (a master shorter than its container said).
    private var fallback: Frame?
    private var lastFrameNumber = -1
    private var tiles: [Frame] = []
    private var tileCount = 0
    private var sheets: [SpriteSheetFacts] = []

    /// mjpeg quantisers (ffmpeg's `-q:v`): a crisp poster, smaller tiles.
    static let posterQuantizer = 3
    static let tileQuantizer = 5

    init(plan: ThumbnailPlan, input: BoundedQueue<DecodedVideoFrame>, scaling: ScalingFilter, root: URL) throws {
        self.plan = plan
        self.input = input
        self.root = root
        self.scaling = scaling
        analysis = plan.poster == nil ? nil : (
            Scaler(outputWidth: plan.analysisWidth, outputHeight: plan.analysisHeight, filter: .bilinear, output: .jpeg),
            try Frame.picture(width: plan.analysisWidth, height: plan.analysisHeight, format: .yuvj420p))
        tilePicture = try plan.storyboard.map {
            try RenditionPicture(width: $0.tileWidth, height: $0.tileHeight, rotation: plan.rotation, filter: scaling, output: .jpeg)
        }
    }

    /// Reads every frame, writes `poster.jpg`, the sprite sheets and `storyboard.vtt`, and returns their facts.
    func run(control: PipelineControl) throws -> ThumbnailFacts {
        while let item = input.pop() {
            try accept(item)
        }
        guard !control.isStopped else { throw control.failure! }
        let durationSeconds = control.videoEndSeconds ?? Double(lastFrameNumber + 1) / plan.framesPerSecond
        return ThumbnailFacts(poster: try writePoster(), storyboard: try writeStoryboard(durationSeconds: durationSeconds))
    }

    private func accept(_ item: DecodedVideoFrame) throws {
        if let layout = plan.storyboard, item.number >= layout.frameNumber(ofTile: tileCount, framesPerSecond: plan.framesPerSecond) {
            try addTile(item.frame, layout: layout)
        }
        if let poster = plan.poster, let analysis, poster.candidateFrames.contains(item.number) {
            try analysis.scaler.scale(item.frame, into: analysis.picture)
            let score = FrameScore(luma: analysis.picture.plane(0))
            posterChoice.consider(item.frame, score: score, seconds: Double(item.number) / plan.framesPerSecond)
        }
        lastFrameNumber = item.number
        fallback = plan.poster != nil && posterChoice.best == nil ? item.frame : nil
    }

    // MARK: - Storyboard

    private func addTile(_ frame: Frame, layout: StoryboardLayout) throws {
        tiles.append(try tilePicture!.make(from: frame).copyPixels())
        tileCount += 1
        if tiles.count == layout.tilesPerSheet { try writeSheet(layout: layout) }
    }

    private func writeSheet(layout: StoryboardLayout) throws {
        let facts = layout.sheet(number: sheets.count + 1, tiles: tiles.count)
        let sheet = try Frame.picture(width: facts.width, height: facts.height, format: .yuvj420p)
        try sheet.fillBlack()
        for (index, tile) in tiles.enumerated() {
            let (x, y) = layout.origin(ofTile: index, columns: facts.columns)
            try sheet.paste(tile, x: x, y: y)
        }
        try write(try JPEGEncoder.encode(sheet, quantizer: ThumbnailStage.tileQuantizer), to: facts.file)
        sheets.append(facts)
        tiles.removeAll()
    }

    private func writeStoryboard(durationSeconds: Double) throws -> StoryboardFacts? {
        guard let layout = plan.storyboard, tileCount > 0 else { return nil }
        if !tiles.isEmpty { try writeSheet(layout: layout) }
        let facts = StoryboardFacts(intervalSeconds: layout.intervalSeconds, tileWidth: layout.tileWidth, tileHeight: layout.tileHeight,
                                    tiles: tileCount, sheets: sheets)
        try write(Array(facts.webVTT(durationSeconds: durationSeconds).utf8), to: facts.file)
        return facts
    }

    // MARK: - Poster

    private func writePoster() throws -> PosterFacts? {
        guard let poster = plan.poster else { return nil }
        let chosen: (frame: Frame, seconds: Double)
        if let best = posterChoice.best {
            chosen = (best.candidate, best.seconds)
        } else if let fallback {
            chosen = (fallback, Double(lastFrameNumber) / plan.framesPerSecond)
        } else {
            return nil
        }
        let picture = try RenditionPicture(width: poster.width, height: poster.height, rotation: plan.rotation, filter: scaling, output: .jpeg)
        let facts = PosterFacts(width: poster.width, height: poster.height, seconds: (chosen.seconds * 1000).rounded() / 1000)
        try write(try JPEGEncoder.encode(try picture.make(from: chosen.frame), quantizer: ThumbnailStage.posterQuantizer), to: facts.file)
        return facts
    }

    private func write(_ bytes: [UInt8], to file: String) throws {
        try Data(bytes).write(to: root.appendingPathComponent(file))
    }
}

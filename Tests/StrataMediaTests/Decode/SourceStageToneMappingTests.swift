import FFmpegBridge
import Foundation
import Logging
@testable import StrataMedia
import Testing
import TestSupport

/// An HDR master is tone-mapped only for the pictures the constant frame rate keeps, and a repeated picture once.
@Suite("Source stage: tone mapping after the constant-frame-rate decision")
struct SourceStageToneMappingTests {
    /// 1 s of testsrc2 (every picture differs) at `rate` fps, tagged BT.2020 PQ: the tags alone turn tone mapping on.
    static func master(rate: Int) -> TestMasters.Recipe {
        TestMasters.Recipe(name: "pq-tagged-\(rate)fps", arguments: [
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=\(rate):duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
        ])
    }

    /// The source stage's pictures of `recipe` at 30 fps, and how many pictures it tone-mapped to make them.
    static func read(_ recipe: TestMasters.Recipe, toneMaps: Bool = true) throws -> (pictures: [Frame], toneMapped: Int) {
        let (file, master) = try MasterProbe.open(path: try TestMasters.path(recipe))
        let video = try #require(master.mainVideo)
        let queue = BoundedQueue<DecodedVideoFrame>(capacity: 200)
        let source = try SourceStage(
            file: file, videoStream: video, decoderThreads: 1, renditionQueues: [queue], audioQueues: [:], captions: [:],
            frameRate: Rational(30, 1), origin: video.startTime ?? 0, expectedDuration: video.duration,
            control: PipelineControl(renditionCount: 1), logger: Logger(label: "test"), toneMaps: toneMaps)
        _ = try source.run()
        var pictures: [Frame] = []
        while let item = queue.pop() { pictures.append(item.frame) }
        return (pictures, source.toneMappedPictures)
    }

    /// How many different pictures `pictures` shows, counting runs of identical luma.
    static func distinct(_ pictures: [Frame]) -> Int {
        pictures.isEmpty ? 0 : 1 + zip(pictures, pictures.dropFirst()).filter { $0.plane(0) != $1.plane(0) }.count
    }

    @Test("a 60 fps PQ master at 30 fps: the dropped half is never tone-mapped")
    func droppedPicturesAreNotMapped() throws {
        let (pictures, toneMapped) = try Self.read(Self.master(rate: 60))
        // 60 pictures decoded; about 30 output frames (the last picture's duration may round up to one more).
        #expect((30...31).contains(pictures.count))
        #expect(toneMapped == Self.distinct(pictures) && toneMapped <= pictures.count, "\(toneMapped) pictures mapped for \(pictures.count)")
        #expect(pictures.allSatisfy { $0.colorDescription.names["transfer"] == "bt709" && $0.pixelFormat == .yuv420p })
    }

    @Test("a 15 fps PQ master at 30 fps: each picture is shown twice and tone-mapped once")
    func repeatedPicturesAreMappedOnce() throws {
        let (pictures, toneMapped) = try Self.read(Self.master(rate: 15))
        #expect(pictures.count == 30)
        #expect(toneMapped == 15 && Self.distinct(pictures) == 15)
        for pair in stride(from: 0, to: pictures.count - 1, by: 2) {
            #expect(pictures[pair].plane(0) == pictures[pair + 1].plane(0), "picture \(pair + 1) is not a repeat of \(pair)")
        }
        #expect(pictures.allSatisfy { $0.colorDescription.names["transfer"] == "bt709" })
    }

    @Test("asked for the decoded pictures, nothing is tone-mapped and the PQ tags stay")
    func decodedPicturesStayHDR() throws {
        let (pictures, toneMapped) = try Self.read(Self.master(rate: 60), toneMaps: false)
        #expect((30...31).contains(pictures.count) && toneMapped == 0)
        #expect(pictures.allSatisfy { $0.colorDescription.names["transfer"] == "smpte2084" })
    }
}

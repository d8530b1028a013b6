import FFmpegBridge
@testable import StrataMedia
import StrataProfiles
import Testing

@Suite("Smart-crop planning")
struct CropPlanTests {
    let profile = EncodingProfile(name: "t", renditions: [
        RenditionSpec(name: "1080p", height: 1080, bitrate: 5_000_000),
        RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000),
        RenditionSpec(name: "360p", height: 360, bitrate: 800_000, profile: "main"),
    ])

    @Test("a 9:16 crop of 1080p: the window is 606×1080; rungs take the nearest main rung's settings at the rate of their pixels")
    func vertical() {
        let crop = PlannedCrop(spec: CropSpec(name: "vertical", aspectWidth: 9, aspectHeight: 16, heights: [1080, 360]),
                               profile: profile, displayWidth: 1920, displayHeight: 1080)
        #expect(crop.windowWidth == 606 && crop.windowHeight == 1080)
        #expect(crop.renditions.map { "\($0.spec.name) \($0.width)x\($0.height)" } == ["1080p 606x1080", "360p 202x360"])
        // 606×1080 of 1920×1080's pixels: 5 Mb/s × 0.316.
        #expect(abs(crop.renditions[0].spec.bitrate - 1_578_125) < 1_000)
        #expect(crop.renditions[1].spec.profile == "main")
        #expect(crop.directory == "crops/vertical")
    }

    @Test("heights taller than the window are dropped; with none left, one rung at the window's size; default heights follow the ladder")
    func dropped() {
        let square = PlannedCrop(spec: CropSpec(name: "square", aspectWidth: 1, aspectHeight: 1, heights: [720, 540]),
                                 profile: profile, displayWidth: 640, displayHeight: 360)
        #expect(square.droppedHeights == [720, 540])
        #expect(square.renditions.map { "\($0.width)x\($0.height)" } == ["360x360"])
        let defaults = PlannedCrop(spec: CropSpec(name: "square", aspectWidth: 1, aspectHeight: 1),
                                   profile: profile, displayWidth: 1280, displayHeight: 720)
        #expect(defaults.renditions.map(\.spec.name) == ["720p", "360p"])
        #expect(defaults.droppedHeights == [1080])
    }

    @Test("a window in displayed coordinates maps back into the decoded picture: turned, and stretched by the sample aspect ratio")
    func decodedRectangle() {
        let window = CropWindow(x: 100, y: 40, width: 200, height: 300)
        // Shown 360×640, stored 640×360 turned a quarter clockwise: display (X, Y) is stored (Y, 359 - X).
        let clockwise = window.inDecodedPicture(width: 640, height: 360, geometry: DisplayGeometry(displayWidth: 360, displayHeight: 640, rotation: .clockwise))
        #expect(clockwise == CropWindow(x: 40, y: 60, width: 300, height: 200))
        let counter = window.inDecodedPicture(width: 640, height: 360, geometry: DisplayGeometry(displayWidth: 360, displayHeight: 640, rotation: .counterClockwise))
        #expect(counter == CropWindow(x: 300, y: 100, width: 300, height: 200))
        let half = window.inDecodedPicture(width: 640, height: 360, geometry: DisplayGeometry(displayWidth: 640, displayHeight: 360, rotation: .halfTurn))
        #expect(half == CropWindow(x: 340, y: 20, width: 200, height: 300))
        // 720×480 shown as 854×480 (wide pixels): x and width shrink by 720/854.
        let anamorphic = window.inDecodedPicture(width: 720, height: 480, geometry: DisplayGeometry(displayWidth: 854, displayHeight: 480, rotation: .none))
        #expect(anamorphic == CropWindow(x: 84, y: 40, width: 168, height: 300))
    }
}

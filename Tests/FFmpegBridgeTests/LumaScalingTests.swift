import FFmpegBridge
import Testing

@Suite("Scaler: luma-only pictures for analysis")
struct LumaScalingTests {
    @Test("a luma picture is the scaled Y plane whatever the chroma, and turns like any other picture")
    func lumaOnly() throws {
        // A 16×8 luma ramp under extreme chroma, which a luma picture must not see.
        let source = try Frame.picture(width: 16, height: 8, format: .yuv420p)
        try source.setPlane(0, rows: (0..<8).map { y in (0..<16).map { x in UInt8(16 + x * 12 + y * 2) } })
        try source.setPlane(1, rows: Array(repeating: Array(repeating: 0, count: 8), count: 4))
        try source.setPlane(2, rows: Array(repeating: Array(repeating: 255, count: 8), count: 4))
        let luma = try Frame.picture(width: 8, height: 4, format: .gray8)
        try Scaler(outputWidth: 8, outputHeight: 4, filter: .bilinear, output: .luma).scale(source, into: luma)
        let video = try Frame.picture(width: 8, height: 4, format: .yuv420p)
        try Scaler(outputWidth: 8, outputHeight: 4, filter: .bilinear).scale(source, into: video)
        #expect(luma.pixelFormat == .gray8 && luma.plane(0).count == 4 && luma.plane(0)[0].count == 8)
        let differences = zip(luma.plane(0).joined(), video.plane(0).joined()).map { abs(Int($0) - Int($1)) }
        #expect(differences.allSatisfy { $0 <= 1 }, "luma \(luma.plane(0)) against the 4:2:0 picture's \(video.plane(0))")
        #expect(luma.plane(0)[0].first! < luma.plane(0)[0].last!, "the ramp survives")
        let turned = try Frame.picture(width: 4, height: 8, format: .gray8)
        try turned.fill(rotating: luma, by: .clockwise)
        #expect(turned.plane(0)[0] == luma.plane(0).reversed().map { $0[0] })
    }

    @Test("a plane the scaler cannot make is a typed error")
    func wrongDestination() throws {
        let source = try Frame.picture(width: 16, height: 8, format: .yuv420p)
        let wrong = try Frame.picture(width: 8, height: 4, format: .yuv420p)
        #expect(throws: FFmpegError.self) {
            try Scaler(outputWidth: 8, outputHeight: 4, filter: .bilinear, output: .luma).scale(source, into: wrong)
        }
    }
}

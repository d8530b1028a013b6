import FFmpegBridge
@testable import StrataMedia
import StrataProfiles
import Testing

@Suite("Ladder planning for damaged headers")
struct DamagedHeaderPlanTests {
    @Test("a picture larger than any real one (a damaged header) is refused before it reaches an encoder")
    func implausibleSize() {
        var stream = StreamDescription(index: 0, type: .video, codec: "h264", dispositions: [])
        stream.displayWidth = 61_180
        stream.displayHeight = 240
        stream.exactFrameRate = Rational(25, 1)
        let profile = EncodingProfile(name: "t", renditions: [RenditionSpec(name: "240p", height: 240, bitrate: 300_000)])
        #expect { try LadderPlan(profile: profile, video: stream) } throws: { error in
            (error as? TranscodeError)?.code == .unsupported && "\(error)".contains("implausible")
        }
    }
}

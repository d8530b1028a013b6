import Foundation
import Testing
import TestSupport

extension CLISuite {
    @Suite("transcode: smart-crop presentations from the social profile")
    struct SmartCropCLITests {
        @Test("the social profile on an 853×479 master: crop rungs taller than the window give way to one at its size, listed in --json and package.json")
        func socialProfile() throws {
            let (output, summary) = try transcode(try TestMasters.path(TestMasters.oddSize), profile: "social")
            defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
            let crops = try #require(summary["crops"] as? [[String: Any]], "the --json summary lists the crops")
            #expect(crops.compactMap { $0["name"] as? String } == ["vertical", "square"])
            #expect(crops.compactMap { $0["aspect"] as? String } == ["9:16", "1:1"])
            // 9:16 of 479 rows is 268×478 (even); 1080, 720 and 540 would upscale it. The square keeps 360.
            #expect(renditionSizes(crops[0]) == ["268x478"])
            #expect(renditionSizes(crops[1]) == ["360x360"])
            #expect(summary["cropAnalysisSeconds"] as? Double != nil)
            for crop in crops {
                for key in ["hls", "dash", "path"] {
                    let file = try #require(crop[key] as? String)
                    #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file) is missing")
                }
            }
            let facts = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("package.json"))) as? [String: Any]
            #expect((facts?["crops"] as? [[String: Any]])?.count == 2, "package.json lists them")
            let played = try Players.ffmpegDecode(output.appendingPathComponent("crops/square/master.m3u8").path)
            #expect(played.status == 0, "\(played.stderr)")
        }
    }
}

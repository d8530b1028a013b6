import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("viewer presets over the API")
    struct ViewerPresetRoutesTests {
        @Test("list, define, read, refuse and remove viewer presets; names are never paths")
        func crud() throws {
            let server = try startServer()
            defer { server.stop() }
            #expect(try HTTP.request(server.url("/v1/viewers")).status == 401)
            let list = try HTTP.request(server.url("/v1/viewers"), headers: server.auth)
            #expect(list.status == 200)
            let names = (list.json["viewers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("default"), "the built-in default is always there: \(list.text)")

            let brand = "accent_color: \"#0055ff\"\ncontrols: [play, seek, captions]\ncaptions: {enabled: true, language: fr}\n"
            let created = try HTTP.request(server.url("/v1/viewers/brand"), method: "PUT", headers: server.auth, body: brand)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["accent_color"] as? String == "#0055ff")
            let replaced = try HTTP.request(server.url("/v1/viewers/brand"), method: "PUT", headers: server.auth, body: brand)
            #expect(replaced.status == 200)
            let shown = try HTTP.request(server.url("/v1/viewers/brand"), headers: server.auth)
            #expect(shown.status == 200 && shown.json["controls"] as? [String] == ["play", "seek", "captions"])
            #expect(shown.json["captions_language"] as? String == "fr")

            let bad = try HTTP.request(server.url("/v1/viewers/brand"), method: "PUT", headers: server.auth,
                                       body: "accent_color: \"#0055ff\"\nplayback_speeds: [1, 12]\n")
            #expect(bad.status == 422)
            #expect(errorBody(bad).code == "invalid_viewer")
            #expect(errorBody(bad).message == "request body:2: playback_speeds[1]: 12.0 is out of range; use 0.25…4"
                || errorBody(bad).message?.contains("request body:2: playback_speeds[1]") == true, "\(bad.text)")
            let mismatch = try HTTP.request(server.url("/v1/viewers/brand"), method: "PUT", headers: server.auth, body: "name: other\n")
            #expect(mismatch.status == 422)
            #expect(try HTTP.request(server.url("/v1/viewers/brand"), headers: server.auth).json["accent_color"] as? String == "#0055ff",
                    "a refused update keeps the stored preset")

            for name in ["..%2F..%2Fetc", "..", "a%5Cb", ".hidden", "-x", "x%20y"] {
                let response = try HTTP.request(server.url("/v1/viewers/\(name)"), method: "PUT", headers: server.auth, body: "loop: true\n", pathAsIs: true)
                #expect([400, 404].contains(response.status), "\(name): \(response.status) \(response.text)")
            }
            let viewers = server.dataDirectory.path + "-viewers"
            #expect(try FileManager.default.contentsOfDirectory(atPath: viewers).sorted() == ["brand.yaml", "default.yaml"],
                    "nothing was written for the refused names")
            let outside = try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.deletingLastPathComponent().path)
            #expect(!outside.contains("etc.yaml") && !outside.contains("..yaml"))

            #expect(try HTTP.request(server.url("/v1/viewers/brand"), method: "DELETE", headers: server.auth).status == 204)
            #expect(try HTTP.request(server.url("/v1/viewers/brand"), headers: server.auth).status == 404)
            #expect(try HTTP.request(server.url("/v1/viewers/brand"), method: "DELETE", headers: server.auth).status == 404)
        }
    }
}

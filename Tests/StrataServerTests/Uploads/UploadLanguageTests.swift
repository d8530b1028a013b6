import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("upload options: the master's audio languages to keep")
    struct UploadLanguageTests {
        @Test("tuspy's Upload-Metadata audioLanguages keeps only those languages; an unknown code is 400 and nothing is stored")
        func tusAudioLanguages() throws {
            let server = try startServer()
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.multiTrack)  // English main, Spanish dub, English description

            let refused = try TusClient.refusedCreation(master, endpoint: server.url("/v1/uploads"), token: server.token,
                                                        metadata: ["audioLanguages": "spa,klingon"])
            #expect(refused.status == 400, "\(refused.body)")
            let error = try #require(try JSONSerialization.jsonObject(with: Data(refused.body.utf8)) as? [String: [String: String]])
            #expect(error["error"]?["code"] == "unknown_language")
            #expect(error["error"]?["message"]?.contains("klingon") == true, "\(refused.body)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.tusFolder.path).isEmpty)

            // ISO 639-2 in, BCP 47 out, as in profiles.
            let (url, _) = try TusClient.upload(master, endpoint: server.url("/v1/uploads"), token: server.token,
                                                metadata: ["audioLanguages": "spa", "title": "Solo español"])
            let id = try #require(try HTTP.request(url, headers: server.auth).json["asset"] as? String)
            let asset = try server.waitUntilSettled(id)
            #expect(asset["status"] as? String == "ready", "\(asset)")
            let languages = (asset["audio"] as? [[String: Any]])?.compactMap { $0["language"] as? String }
            #expect(languages == ["es"], "\(asset["audio"] ?? "")")
            #expect(try HTTP.request(server.url("/v1/assets"), headers: server.auth).json["assets"].map { ($0 as? [Any])?.count } == 1,
                    "the refused upload made no asset")
        }

        @Test("a direct upload takes the operator's audioLanguages, not the browser's; an unknown one is 400")
        func directUploadAudioLanguages() throws {
            let server = try startServer()
            defer { server.stop() }
            let refused = try HTTP.request(server.url("/v1/direct-uploads"), method: "POST", headers: server.auth,
                                           body: #"{"audioLanguages": ["es", "xx1"]}"#)
            #expect(refused.status == 400 && errorBody(refused).code == "unknown_language", "\(refused.text)")
            let created = try HTTP.request(server.url("/v1/direct-uploads"), method: "POST", headers: server.auth,
                                           body: #"{"audioLanguages": ["spa"]}"#)
            #expect(created.json["audioLanguages"] as? [String] == ["es"], "\(created.text)")
            let url = try #require(created.json["url"] as? String)
            _ = try TusClient.upload(try TestMasters.path(TestMasters.multiTrack), endpoint: url, token: nil, metadata: ["audioLanguages": "en"])
            let direct = try #require(created.json["id"] as? String)
            let id = try #require(try HTTP.request(server.url("/v1/direct-uploads/\(direct)"), headers: server.auth).json["asset"] as? String)
            let asset = try server.waitUntilSettled(id)
            #expect((asset["audio"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["es"], "\(asset["audio"] ?? "")")
        }

        @Test("the raw-body upload takes the same option: ?audioLanguages=xx is 400 before any byte is stored")
        func rawBodyAudioLanguages() throws {
            let server = try startServer()
            defer { server.stop() }
            let master = try TestMasters.path(TestMasters.silent)
            let refused = try HTTP.request(server.url("/v1/assets?audioLanguages=en,zz9"), method: "POST", headers: server.auth,
                                           bodyFile: URL(fileURLWithPath: master))
            #expect(refused.status == 400, "\(refused.text)")
            #expect(errorBody(refused).code == "unknown_language")
            #expect(try FileManager.default.contentsOfDirectory(atPath: server.dataDirectory.appendingPathComponent("assets").path).isEmpty)
            let accepted = try HTTP.request(server.url("/v1/assets?audioLanguages=en,fr"), method: "POST", headers: server.auth,
                                            bodyFile: URL(fileURLWithPath: master))
            #expect(accepted.status == 201, "\(accepted.text)")
        }
    }
}

import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("the viewer plays signed assets with ?token=")
    struct SignedViewerTests {
        @Test("/watch?token= plays through /stream/{id}/t/{token}/ in Chromium (both engines); a bad or missing token is the 403 page")
        func signedViewer() throws {
            let server = try startServer()
            defer { server.stop() }
            #expect(try HTTP.request(server.url("/v1/profiles/viewer-test"), method: "PUT", headers: server.auth,
                                     body: ViewerPageTests.profile).status == 201)
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.multiTrack), profile: "viewer-test").json["id"] as? String)
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
            #expect(try server.publish(id).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)/playback-policy"), method: "PUT", headers: server.auth,
                                     body: #"{"policy": "signed"}"#).status == 200)
            let minted = try HTTP.request(server.url("/v1/assets/\(id)/playback-tokens"), method: "POST", headers: server.auth)
            let token = try #require(minted.json["token"] as? String, "\(minted.text)")
            #expect(minted.json["watch"] as? String == server.url("/watch/\(id)?token=\(token)"))

            // The page's every package URL carries the token; the native engine's playlist too.
            let page = try HTTP.request(server.url("/watch/\(id)?token=\(token)"))
            #expect(page.status == 200, "\(page.text.prefix(300))")
            #expect(page.text.contains("/stream/\(id)/t/\(token)/"))
            #expect(!page.text.contains("/stream/\(id)/video") && !page.text.contains("/stream/\(id)/master"), "no unsigned package URL")
            let native = try HTTP.request(server.url("/watch/\(id)/t/\(token)/master.m3u8"))
            #expect(native.status == 200 && native.text.contains("/stream/\(id)/t/\(token)/video/"), "\(native.text)")
            #expect(try HTTP.request(server.url("/watch/\(id)/master.m3u8")).status == 403)
            #expect(try HTTP.request(server.url("/embed/\(id)?token=\(token)")).status == 200)

            let altered = String(token.dropLast()) + (token.last == "0" ? "1" : "0")
            for (query, code) in [("token=\(altered)", "invalid_token"), ("token=..%2F..%2Fx", "invalid_token"), ("", "token_required")] {
                let refused = try HTTP.request(server.url("/watch/\(id)?\(query)"))
                #expect(refused.status == 403, "\(query)")
                #expect(refused.header("content-type") == "text/html; charset=utf-8")
                #expect(refused.text.contains("data-error-code=\"\(code)\""), "\(query): \(refused.text)")
            }
            #expect(try HTTP.request(server.url("/watch/\(id)/t/\(altered)/master.m3u8")).status == 403)

            // oEmbed: a signed asset's URL needs its token (401 otherwise, oEmbed §2.3.5), which the iframe and thumbnail keep.
            let watch = { (query: String) in server.url("/watch/\(id)\(query)").addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            #expect(try HTTP.request(server.url("/oembed?url=\(watch(""))")).status == 401)
            for bad in [altered, "..%2F..%2Fstream%2Fother", "1.x"] {
                let refused = try HTTP.request(server.url("/oembed?url=\(watch("?token=\(bad)"))"))
                #expect(refused.status == 401 && errorBody(refused).code == "invalid_token", "\(bad): \(refused.text)")
            }
            let oembed = try HTTP.request(server.url("/oembed?url=\(watch("?token=\(token)"))"))
            #expect(oembed.status == 200, "\(oembed.text)")
            #expect((oembed.json["html"] as? String)?.contains("/embed/\(id)?token=\(token)") == true, "\(oembed.text)")
            let thumbnail = try #require(oembed.json["thumbnail_url"] as? String)
            #expect(thumbnail == server.url("/stream/\(id)/t/\(token)/poster.jpg"))
            #expect(try HTTP.request(thumbnail).status == 200)

            for engine in ["native", "mse"] {
                try ViewerPageTests().runBrowserChecks("signed_viewer_check.py", [server.baseURL, id, token, engine], expectAtLeast: 7)
            }
        }
    }
}

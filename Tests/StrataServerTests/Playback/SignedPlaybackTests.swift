import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("signed playback: tokens in the path")
    struct SignedPlaybackTests {
        @Test("a signed asset plays through the whole package with a valid token; expired, altered and other-asset tokens get 403")
        func signedPlayback() throws {
            let server = try startServer()
            defer { server.stop() }
            let ids = try [TestMasters.silent, TestMasters.silent].map { recipe in
                try #require(try server.upload(try TestMasters.path(recipe)).json["id"] as? String)
            }
            let (id, other) = (ids[0], ids[1])
            for asset in ids {
                #expect(try server.waitUntilSettled(asset)["status"] as? String == "ready")
                #expect(try server.publish(asset).status == 200)
            }
            #expect(try HTTP.request(server.url("/stream/\(id)/master.m3u8")).status == 200, "public by default")

            let policy = try HTTP.request(server.url("/v1/assets/\(id)/playback-policy"), method: "PUT", headers: server.auth,
                                          body: #"{"policy": "signed"}"#)
            #expect(policy.status == 200, "\(policy.text)")
            #expect(policy.json["policy"] as? String == "signed")
            let plain = try HTTP.request(server.url("/stream/\(id)/master.m3u8"))
            #expect(plain.status == 403)
            #expect(errorBody(plain).code == "token_required")

            let minted = try HTTP.request(server.url("/v1/assets/\(id)/playback-tokens"), method: "POST", headers: server.auth,
                                          body: #"{"expiresIn": 600}"#)
            #expect(minted.status == 201, "\(minted.text)")
            let token = try #require(minted.json["token"] as? String)
            #expect(minted.json["hls"] as? String == server.url("/stream/\(id)/t/\(token)/master.m3u8"))

            // ffmpeg and GStreamer follow the playlists' relative URLs: every segment request carries the token.
            try expectPlayersPlaySilentPackage(at: server.url("/stream/\(id)/t/\(token)"))

            // A token minted offline with the documented algorithm (openssl, not our code) works too.
            let key = try server.playbackSigningKey()
            let expiry = Int(Date().timeIntervalSince1970) + 600
            let signature = try opensslHMAC("\(id)/\(expiry)", hexKey: key)
            let offline = "\(expiry).\(signature)"
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(offline)/manifest.mpd")).status == 200)

            // A segment path, read from the media playlist the token opens.
            let master = try HTTP.request(server.url("/stream/\(id)/t/\(token)/master.m3u8")).text
            let variant = try #require(master.split(separator: "\n").first { !$0.hasPrefix("#") && $0.hasSuffix(".m3u8") })
            let media = try HTTP.request(server.url("/stream/\(id)/t/\(token)/\(variant)")).text
            let segment = try #require(media.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.isEmpty })
            let folder = variant.split(separator: "/").dropLast().joined(separator: "/")
            let segmentPath = folder.isEmpty ? String(segment) : "\(folder)/\(segment)"
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(token)/\(segmentPath)")).status == 200)

            let past = Int(Date().timeIntervalSince1970) - 10
            let expired = try opensslHMAC("\(id)/\(past)", hexKey: key)
            let flipped = token.dropLast() + (token.last == "0" ? "1" : "0")
            let tokenExpiry = token.split(separator: ".")[0]
            let later = "\(Int(tokenExpiry)! + 1000).\(token.split(separator: ".")[1])"
            let otherToken = try #require(try HTTP.request(server.url("/v1/assets/\(other)/playback-tokens"), method: "POST",
                                                           headers: server.auth).json["token"] as? String)
            for (name, bad) in [("expired", "\(past).\(expired)"), ("altered signature", String(flipped)), ("altered expiry", later),
                                ("other asset's", otherToken), ("garbage", "nonsense")] {
                for path in ["master.m3u8", "manifest.mpd", segmentPath] {
                    let response = try HTTP.request(server.url("/stream/\(id)/t/\(bad)/\(path)"))
                    #expect(response.status == 403, "\(name) token on \(path): \(response.status)")
                    #expect(errorBody(response).code == "invalid_token")
                }
            }
            #expect(try HTTP.request(server.url("/stream/\(id)/\(segmentPath)")).status == 403)
            // The other asset is still public; switching back makes this one public again.
            #expect(try HTTP.request(server.url("/stream/\(other)/master.m3u8")).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)/playback-policy"), method: "PUT", headers: server.auth,
                                     body: #"{"policy": "public"}"#).status == 200)
            #expect(try HTTP.request(server.url("/stream/\(id)/master.m3u8")).status == 200)
        }
    }
}

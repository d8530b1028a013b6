import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("signed playback: tokens bound to a viewer IP or referrer")
    struct BoundPlaybackTokenTests {
        @Test("an IP-bound token opens the asset from that address only (127.0.0.1 vs 127.0.0.2); X-Forwarded-For is not trusted")
        func ipBinding() throws {
            let server = try startServer()
            defer { server.stop() }
            let id = try signedAsset(server)
            let mine = try mint(server, id, #"{"ip": "127.0.0.1"}"#)
            #expect(mine.json["ip"] as? String == "127.0.0.1")
            let token = try #require(mine.json["token"] as? String)
            #expect(token.split(separator: ".").count == 3 && token.split(separator: ".")[1] == "i", "\(token)")
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(token)/master.m3u8")).status == 200)
            // The same token from another loopback address: refused on manifests and segments.
            let elsewhere = try HTTP.request(server.url("/stream/\(id)/t/\(token)/master.m3u8"), interface: "127.0.0.2")
            #expect(elsewhere.status == 403)
            #expect(errorBody(elsewhere).code == "invalid_token")

            let theirs = try #require(try mint(server, id, #"{"ip": "127.0.0.2", "expiresIn": 600}"#).json["token"] as? String)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(theirs)/master.m3u8"), interface: "127.0.0.2").status == 200)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(theirs)/master.m3u8")).status == 403)
            let spoofed = try HTTP.request(server.url("/stream/\(id)/t/\(theirs)/master.m3u8"),
                                           headers: ["X-Forwarded-For": "127.0.0.2", "X-Real-IP": "127.0.0.2"])
            #expect(spoofed.status == 403, "X-Forwarded-For must not stand in for the peer address")

            // The whole package plays in ffmpeg and GStreamer with a token bound to the players' address.
            try expectPlayersPlaySilentPackage(at: server.url("/stream/\(id)/t/\(token)"))

            // Minted offline with the documented algorithm (openssl, not our code).
            let key = try server.playbackSigningKey()
            let expiry = Int(Date().timeIntervalSince1970) + 600
            let signature = try opensslHMAC("\(id)/\(expiry)/ip=127.0.0.1", hexKey: key)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(expiry).i.\(signature)/manifest.mpd")).status == 200)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(expiry).i.\(signature)/manifest.mpd"), interface: "127.0.0.2").status == 403)
            // Dropping the binding flag does not turn a bound signature into an unbound token.
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(expiry).\(signature)/manifest.mpd")).status == 403)

            for body in [#"{"ip": "localhost"}"#, #"{"ip": "127.0.0.1/8"}"#, #"{"ip": "../../etc"}"#] {
                let refused = try mint(server, id, body)
                #expect(refused.status == 400, "\(body): \(refused.text)")
                #expect(errorBody(refused).code == "invalid_ip")
            }
            // IPv6 and IPv4-mapped spellings are made canonical before signing.
            #expect(try mint(server, id, #"{"ip": "::FFFF:127.0.0.1"}"#).json["ip"] as? String == "127.0.0.1")
            #expect(try mint(server, id, #"{"ip": "2001:DB8:0:0::1"}"#).json["ip"] as? String == "2001:db8::1")
        }

        @Test("with --trust-forwarded-for the last X-Forwarded-For address is the viewer's")
        func forwardedFor() throws {
            let server = try startServer(["--trust-forwarded-for"])
            defer { server.stop() }
            let id = try signedAsset(server)
            let token = try #require(try mint(server, id, #"{"ip": "203.0.113.7"}"#).json["token"] as? String)
            let url = server.url("/stream/\(id)/t/\(token)/master.m3u8")
            // The proxy appends the address it saw: the last entry; earlier ones are whatever the client sent.
            #expect(try HTTP.request(url, headers: ["X-Forwarded-For": "10.9.8.7, 203.0.113.7"]).status == 200)
            #expect(try HTTP.request(url, headers: ["X-Forwarded-For": "203.0.113.7, 10.9.8.7"]).status == 403)
            #expect(try HTTP.request(url).status == 403, "no header: the peer (127.0.0.1) is the viewer")
        }

        @Test("a referrer-bound token needs a Referer of that origin; another or none is 403")
        func referrerBinding() throws {
            let server = try startServer()
            defer { server.stop() }
            let id = try signedAsset(server)
            let minted = try mint(server, id, #"{"referrer": "https://App.Example.com:443/videos/page?x=1"}"#)
            #expect(minted.json["referrer"] as? String == "https://app.example.com")
            #expect(minted.json["watch"] == nil, "Strata's own page cannot send the embedding site's Referer: \(minted.text)")
            let token = try #require(minted.json["token"] as? String)
            let url = server.url("/stream/\(id)/t/\(token)/master.m3u8")
            #expect(try HTTP.request(url, headers: ["Referer": "https://app.example.com/watch/42"]).status == 200)
            for referer in ["https://evil.example.com/", "http://app.example.com/", "https://app.example.com:8443/", "not a url"] {
                let response = try HTTP.request(url, headers: ["Referer": referer])
                #expect(response.status == 403, "Referer \(referer)")
                #expect(errorBody(response).code == "invalid_token")
            }
            let missing = try HTTP.request(url)
            #expect(missing.status == 403)
            #expect(errorBody(missing).message?.contains("Referer") == true, "\(missing.text)")

            let both = try #require(try mint(server, id, #"{"ip": "127.0.0.1", "referrer": "https://app.example.com"}"#).json["token"] as? String)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(both)/master.m3u8"), headers: ["Referer": "https://app.example.com/"]).status == 200)
            #expect(try HTTP.request(server.url("/stream/\(id)/t/\(both)/master.m3u8"), headers: ["Referer": "https://app.example.com/"],
                                     interface: "127.0.0.2").status == 403)
            let refused = try mint(server, id, #"{"referrer": "ftp://app.example.com"}"#)
            #expect(refused.status == 400 && errorBody(refused).code == "invalid_referrer", "\(refused.text)")
        }

        /// A ready, published asset with the `signed` policy.
        func signedAsset(_ server: ServerProcess) throws -> String {
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
            #expect(try server.publish(id).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)/playback-policy"), method: "PUT", headers: server.auth,
                                     body: #"{"policy": "signed"}"#).status == 200)
            return id
        }

        func mint(_ server: ServerProcess, _ id: String, _ body: String) throws -> HTTPResponse {
            try HTTP.request(server.url("/v1/assets/\(id)/playback-tokens"), method: "POST", headers: server.auth, body: body)
        }
    }
}

/// ffmpeg and GStreamer play the 3 s `silent` test master's package at `base` to the end, following its relative URLs.
func expectPlayersPlaySilentPackage(at base: String) throws {
    var players = PlayerChecks(baseURL: base, masterDuration: 3, videoFrameRate: 30)
    try players.run()
    #expect(players.problems.isEmpty, "\(players.problems.joined(separator: "\n"))")
}

extension ServerProcess {
    /// The playback signing key (hex), as an operator minting tokens offline reads it.
    func playbackSigningKey() throws -> String {
        try #require(try HTTP.request(url("/v1/playback-signing-key"), headers: auth).json["key"] as? String)
    }
}

/// The lowercase hex HMAC-SHA256 of `message` under a hex key, computed by openssl (not our code), as an operator
/// minting tokens offline does.
func opensslHMAC(_ message: String, hexKey: String) throws -> String {
    try ToolRunner.require("sh", ["-c", "printf '%s' \"$0\" | openssl dgst -sha256 -mac HMAC -macopt hexkey:\"$1\" | sed 's/^.* //'",
                                  message, hexKey]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

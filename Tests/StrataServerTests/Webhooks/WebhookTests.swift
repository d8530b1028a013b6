import Foundation
import Testing
import TestSupport

extension ServerSuite {
    @Suite("webhooks: signed, stored, retried, delivered across restarts")
    struct WebhookTests {
        static let secret = "whsec_strata_test_secret_0123456789"

        @Test("every event once per state change with a valid signature, across a restart; 500 three times, then delivered")
        func deliveries() throws {
            let receiver = try WebhookReceiver()
            let data = try makeTemporaryDirectory("webhooks")
            var server = try startServer(["--webhook-retry-base", "0.2"], data: data)
            let hook = try HTTP.request(server.url("/v1/webhooks"), method: "POST", headers: server.auth,
                                        body: #"{"url": "\#(receiver.url("/hooks"))", "secret": "\#(WebhookTests.secret)"}"#)
            #expect(hook.status == 201, "\(hook.text)")
            #expect(hook.json["secret"] as? String == WebhookTests.secret)
            #expect((hook.json["events"] as? [String])?.count == 8)
            let flaky = try HTTP.request(server.url("/v1/webhooks"), method: "POST", headers: server.auth,
                                         body: #"{"url": "\#(receiver.url("/fail3/hooks"))", "events": ["asset.created"]}"#)
            #expect(flaky.status == 201, "\(flaky.text)")
            let flakyID = try #require(flaky.json["id"] as? String)
            #expect(try HTTP.request(server.url("/v1/webhooks"), method: "POST", headers: server.auth,
                                     body: #"{"url": "ftp://example.com"}"#).status == 400)

            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            #expect(try server.waitUntilSettled(id)["status"] as? String == "ready")
            _ = receiver.wait { mine($0).contains { $0.json["type"] as? String == "asset.ready" } }

            // A restart in between: the server keeps delivering.
            server.stop()
            server = try startServer(["--webhook-retry-base", "0.2"], data: data)
            defer { server.stop() }
            #expect(try server.publish(id).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)/unpublish"), method: "POST", headers: server.auth).status == 200)
            #expect(try HTTP.request(server.url("/v1/assets/\(id)"), method: "DELETE", headers: server.auth).status == 204)
            let received = mine(receiver.wait { mine($0).contains { $0.json["type"] as? String == "asset.deleted" } })
            let types = received.compactMap { $0.json["type"] as? String }.filter { $0 != "asset.progress" }
            // asset.playable exactly once, before asset.ready.
            #expect(types == ["asset.created", "asset.playable", "asset.ready", "asset.published", "asset.unpublished", "asset.deleted"],
                    "\(types)")
            let playable = try #require(received.first { $0.json["type"] as? String == "asset.playable" })
            #expect(playable.headers["strata-event-type"] == "asset.playable")
            #expect(["processing", "ready"].contains((playable.json["data"] as? [String: Any])?["status"] as? String))
            let eventIDs = received.compactMap { $0.json["id"] as? String }
            #expect(Set(eventIDs).count == eventIDs.count, "an event was delivered twice: \(eventIDs)")
            for delivery in received {
                #expect((delivery.json["data"] as? [String: Any])?["id"] as? String == id)
                #expect(try signatureIsValid(delivery), "bad signature on \(delivery.json["type"] ?? "")")
            }
            #expect(received.filter { $0.json["type"] as? String == "asset.progress" }.count <= 10)

            // The flaky receiver: 500, 500, 500, then 200 on the fourth try.
            let flakyTries = receiver.wait { $0.filter { $0.path.hasPrefix("/fail3") }.count >= 4 }.filter { $0.path.hasPrefix("/fail3") }
            #expect(flakyTries.map(\.status) == [500, 500, 500, 200])
            #expect(Set(flakyTries.compactMap { $0.json["id"] as? String }).count == 1, "the same event each time")
            let log = try HTTP.request(server.url("/v1/webhooks/\(flakyID)/deliveries"), headers: server.auth).json["deliveries"] as? [[String: Any]]
            let first = try #require(log?.first)
            #expect(first["state"] as? String == "delivered")
            #expect(first["attempts"] as? Int == 4)
            #expect(first["lastStatus"] as? Int == 200)
        }

        @Test("a receiver that hangs delays only its own deliveries: another endpoint gets the same event meanwhile")
        func hangingReceiver() throws {
            let receiver = try WebhookReceiver()
            let server = try startServer()
            defer { server.stop() }
            let subscribe = { (path: String) throws -> String in
                let hook = try HTTP.request(server.url("/v1/webhooks"), method: "POST", headers: server.auth,
                                            body: #"{"url": "\#(receiver.url(path))", "events": ["asset.created"]}"#)
                return try #require(hook.json["id"] as? String, "\(hook.text)")
            }
            // The hanging endpoint is created first, so its delivery is the older one.
            let hanging = try subscribe("/hang/hooks")
            _ = try subscribe("/hooks")
            let id = try #require(try server.upload(try TestMasters.path(TestMasters.silent)).json["id"] as? String)
            let received = receiver.wait(timeout: 60) { all in
                all.contains { $0.path == "/hang/hooks" } && all.contains { $0.path == "/hooks" }
            }
            #expect(received.contains { $0.path == "/hooks" && ($0.json["data"] as? [String: Any])?["id"] as? String == id })
            // The other endpoint was served while the hanging request was still open: that attempt is not recorded yet.
            let log = try HTTP.request(server.url("/v1/webhooks/\(hanging)/deliveries"), headers: server.auth).json["deliveries"] as? [[String: Any]]
            #expect(log?.first?["attempts"] as? Int == 0, "\(log ?? [])")
            #expect(log?.first?["state"] as? String == "pending")
        }

        /// Deliveries to the main endpoint.
        func mine(_ all: [WebhookReceiver.Delivery]) -> [WebhookReceiver.Delivery] { all.filter { $0.path == "/hooks" } }

        /// Recomputes `Strata-Signature` with openssl over "<t>.<raw body>".
        func signatureIsValid(_ delivery: WebhookReceiver.Delivery) throws -> Bool {
            let header = delivery.headers["strata-signature"] ?? ""
            let fields = Dictionary(uniqueKeysWithValues: header.split(separator: ",").compactMap { pair -> (String, String)? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            })
            guard let timestamp = fields["t"], let signature = fields["v1"] else { return false }
            let body = try makeTemporaryDirectory("webhook-body").appendingPathComponent("body")
            try delivery.body.write(to: body)
            let expected = try ToolRunner.require("sh", ["-c", #"{ printf '%s.' "$0"; cat "$1"; } | openssl dgst -sha256 -mac HMAC -macopt key:"$2" | sed 's/^.* //'"#,
                                                         timestamp, body.path, WebhookTests.secret]).stdout
            return expected.trimmingCharacters(in: .whitespacesAndNewlines) == signature
        }
    }
}

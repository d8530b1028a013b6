import Foundation
import Testing
import TestSupport

/// Every test that runs `strata serve` and talks to it over loopback HTTP, one at a time.
@Suite("strata serve", .serialized)
struct ServerSuite {}

/// A server with a fresh data folder and a copy of the repository's profiles.
func startServer(_ extra: [String] = [], data: URL? = nil, keepLog: Bool = false) throws -> ServerProcess {
    let folder = try data ?? makeTemporaryDirectory("server")
    let profiles = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-profiles")
    if !FileManager.default.fileExists(atPath: profiles.path) {
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Profiles"), to: profiles)
    }
    let viewers = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-viewers")
    if !FileManager.default.fileExists(atPath: viewers.path) {
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Viewers"), to: viewers)
    }
    return try ServerProcess(dataDirectory: folder, profilesDirectory: profiles, extraArguments: ["--viewers-dir", viewers.path] + extra,
                             keepLog: keepLog)
}

extension ServerProcess {
    var auth: [String: String] { ["Authorization": "Bearer \(token)"] }

    /// Uploads `master` and returns the new asset's JSON.
    func upload(_ master: String, profile: String = "default", title: String = "test") throws -> HTTPResponse {
        try HTTP.request(url("/v1/assets?profile=\(profile)&title=\(title)"), method: "POST", headers: auth, bodyFile: URL(fileURLWithPath: master))
    }

    func asset(_ id: String) throws -> [String: Any] {
        try HTTP.request(url("/v1/assets/\(id)"), headers: auth).json
    }

    /// Polls until the asset is ready or failed and no track is still pending.
    @discardableResult
    func waitUntilSettled(_ id: String, timeout: Double = 300) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let asset = try self.asset(id)
            let tracks = (asset["audio"] as? [[String: Any]] ?? []) + (asset["captions"] as? [[String: Any]] ?? [])
            let status = asset["status"] as? String
            if (status == "ready" && !tracks.contains { $0["status"] as? String == "pending" }) || status == "failed" {
                return asset
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw ToolError("asset \(id) did not settle within \(Int(timeout)) s: \(try self.asset(id))")
    }

    func publish(_ id: String) throws -> HTTPResponse {
        try HTTP.request(url("/v1/assets/\(id)/publish"), method: "POST", headers: auth)
    }
}

/// The error object of a JSON error response.
func errorBody(_ response: HTTPResponse) -> (code: String?, message: String?) {
    let error = response.json["error"] as? [String: Any]
    return (error?["code"] as? String, error?["message"] as? String)
}

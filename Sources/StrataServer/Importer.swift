import Foundation
import Logging
import ServiceLifecycle
import StrataMedia
import Synchronization

/// Uploads files named at start (`strata serve --import FILE`) as published assets, once each, and prints
/// their playback URLs when they are ready: what makes `scripts/demo` a single command.
final class Importer: Service, Sendable {
    let configuration: ServerConfiguration
    let state: ServerState
    let logger: Logger
    private let address = Mutex<String?>(nil)

    init(configuration: ServerConfiguration, state: ServerState, logger: Logger) {
        self.configuration = configuration
        self.state = state
        self.logger = logger
    }

    func listening(on address: String) {
        self.address.withLock { $0 = address }
    }

    func run() async throws {
        var waiting: [(String, String)] = []
        for file in configuration.imports {
            let title = file.lastPathComponent
            if let existing = try await state.store.assets().first(where: { $0.title == title && $0.status != .failed }) {
                waiting.append((existing.id, title))
                continue
            }
            let id = RecordID.make()
            let problem: TranscodeError?
            do {
                _ = try MasterProbe.describe(path: file.path)
                problem = nil
            } catch {
                problem = error
            }
            try FileManager.default.createDirectory(at: state.files.folder(of: id), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file, to: state.files.master(of: id))
            let profile = try state.profiles.load(named: "default")
            let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
            _ = try await state.store.createAsset(id: id, title: title, profile: profile, masterSize: size, problem: problem)
            _ = try await state.store.setPublished(id, true)
            waiting.append((id, title))
        }
        for (id, title) in waiting {
            while !Task.isCancelled {
                guard let asset = try await state.store.asset(id) else { break }
                if asset.status == .ready || asset.status == .failed {
                    let base = address.withLock { $0 } ?? "http://\(configuration.host):\(configuration.port)"
                    let line = asset.status == .ready
                        ? "\(title) is ready:\n  Watch: \(base)/watch/\(id)\n  HLS:   \(base)/stream/\(id)/master.m3u8\n  DASH:  \(base)/stream/\(id)/manifest.mpd\n"
                        : "\(title) failed: \(asset.errorMessage ?? "unknown error")\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                    break
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        // Stay up until shutdown, like every other service of the server.
        try? await gracefulShutdown()
    }
}

import Foundation

/// A hidden sibling folder where a package is built, renamed onto the destination only when complete,
/// so players and scripts never see a half-written package and a failed run leaves nothing behind.
struct StagingDirectory {
    let destination: URL
    let url: URL

    /// Prepares `.NAME.partial-PID-RANDOM` next to `destination`, after removing what dead runs left behind.
    init(destination: URL, overwrite: Bool) throws(TranscodeError) {
        let manager = FileManager.default
        self.destination = destination.standardizedFileURL
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: self.destination.path, isDirectory: &isDirectory), !overwrite {
            throw TranscodeError(.output, "output '\(destination.path)' already exists; choose another folder or pass --overwrite")
        }
        let parent = self.destination.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw TranscodeError(.output, "cannot create '\(parent.path)': \(error.localizedDescription)")
        }
        let name = self.destination.lastPathComponent
        StagingDirectory.removeAbandoned(in: parent, name: name)
        let suffix = String(UInt32.random(in: .min ... .max), radix: 36)
        url = parent.appendingPathComponent(".\(name).partial-\(getpid())-\(suffix)")
        do {
            try manager.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw TranscodeError(.output, "cannot write in '\(parent.path)': \(error.localizedDescription)")
        }
    }

    /// Moves the finished package onto the destination (replacing an old one when overwriting).
    func commit() throws(TranscodeError) {
        let manager = FileManager.default
        var old: URL?
        if manager.fileExists(atPath: destination.path) {
            let retired = url.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).old-\(getpid())")
            try? manager.removeItem(at: retired)
            do {
                try manager.moveItem(at: destination, to: retired)
            } catch {
                throw TranscodeError(.output, "cannot replace '\(destination.path)': \(error.localizedDescription)")
            }
            old = retired
        }
        // rename(2) within one folder is atomic: the destination appears complete or not at all.
        guard rename(url.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if let old { try? manager.moveItem(at: old, to: destination) }
            throw TranscodeError(.output, "cannot move the finished package to '\(destination.path)': \(reason)")
        }
        if let old { try? manager.removeItem(at: old) }
    }

    /// Fills the staging folder with `source`'s files as hard links (no data is copied; files are
    /// immutable once written, and every rewrite replaces a file rather than editing it).
    func linkContents(of source: URL) throws(TranscodeError) {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(at: source, includingPropertiesForKeys: [.isDirectoryKey]) else {
            throw TranscodeError(.output, "cannot read '\(source.path)'")
        }
        let base = source.standardizedFileURL.path
        for case let file as URL in enumerator {
            let relative = String(file.standardizedFileURL.path.dropFirst(base.count + 1))
            let target = url.appendingPathComponent(relative)
            do {
                if (try file.resourceValues(forKeys: [.isDirectoryKey])).isDirectory == true {
                    try manager.createDirectory(at: target, withIntermediateDirectories: true)
                } else if link(file.path, target.path) != 0 {
                    try manager.copyItem(at: file, to: target)  // e.g. another file system
                }
            } catch {
                throw TranscodeError(.output, "cannot copy '\(file.path)' into the new package: \(error.localizedDescription)")
            }
        }
    }

    /// Deletes the staging folder and everything in it.
    func discard() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes `.NAME.partial-PID-*` folders whose process is no longer running (e.g. after `kill -9`).
    static func removeAbandoned(in parent: URL, name: String) {
        let prefix = ".\(name).partial-"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            let pidText = entry.dropFirst(prefix.count).split(separator: "-").first.map(String.init) ?? ""
            guard let pid = Int32(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
            }
        }
    }
}

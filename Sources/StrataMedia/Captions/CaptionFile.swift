import Foundation

/// Reads a sidecar caption file, SubRip or WebVTT (told apart by the `WEBVTT` header, so extensions do not matter).
enum CaptionFile {
    /// - Parameter displayName: what errors call the file (default: its path).
    static func cues(_ sidecar: SidecarCaptions, displayName: String? = nil) throws(TranscodeError) -> [Cue] {
        let name = displayName ?? sidecar.path
        guard let data = FileManager.default.contents(atPath: sidecar.path) else {
            throw TranscodeError(.invalidSidecar, "captions '\(name)' cannot be read (does the file exist?)")
        }
        let bytes = [UInt8](data)
        do {
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if body.starts(with: Array("WEBVTT".utf8)) {
                return try WebVTTReader.cues(from: bytes, file: name)
            }
            return try SubRipReader.cues(from: bytes, file: name)
        } catch {
            throw TranscodeError(.invalidSidecar, error.description)
        }
    }
}

import Foundation

/// Reads a sidecar caption file, SubRip or WebVTT (told apart by the `WEBVTT` header, so extensions do not matter).
enum CaptionFile {
    static func cues(_ sidecar: SidecarCaptions) throws(TranscodeError) -> [Cue] {
        guard let data = FileManager.default.contents(atPath: sidecar.path) else {
            throw TranscodeError(.invalidSidecar, "captions '\(sidecar.path)' cannot be read (does the file exist?)")
        }
        let bytes = [UInt8](data)
        do {
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            if body.starts(with: Array("WEBVTT".utf8)) {
                return try WebVTTReader.cues(from: bytes, file: sidecar.path)
            }
            return try SubRipReader.cues(from: bytes, file: sidecar.path)
        } catch {
            throw TranscodeError(.invalidSidecar, error.description)
        }
    }
}

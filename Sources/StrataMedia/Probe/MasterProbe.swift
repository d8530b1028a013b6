import FFmpegBridge
import Foundation

/// Opens a master and describes it, turning every way it can be unusable into a clear `TranscodeError`.
public enum MasterProbe {
    /// Describes the master at `path` without transcoding anything.
    public static func describe(path: String) throws(TranscodeError) -> MasterDescription {
        try open(path: path).description
    }

    /// Opens the master for reading; the caller keeps the file to demux it.
    static func open(path: String) throws(TranscodeError) -> (file: InputFile, description: MasterDescription) {
        let size = try checkFile(path)
        let file: InputFile
        do {
            file = try InputFile(path: path)
        } catch {
            throw TranscodeError(.notMedia, "cannot read '\(path)' as media: \(error.message); is it a complete audio/video file?")
        }
        let description = MasterDescription(
            path: path, format: file.info.formatName, duration: file.info.duration, bitRate: file.info.bitRate,
            size: size, streams: file.info.streams.map(StreamDescription.init))
        return (file, description)
    }

    /// Checks that `path` names a non-empty regular file and returns its size.
    static func checkFile(_ path: String) throws(TranscodeError) -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TranscodeError(.inputMissing, "master '\(path)' does not exist")
        }
        guard !isDirectory.boolValue else {
            throw TranscodeError(.inputMissing, "master '\(path)' is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TranscodeError(.inputMissing, "master '\(path)' is not readable (check its permissions)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else {
            throw TranscodeError(.inputEmpty, "master '\(path)' is empty (0 bytes); was the upload or copy interrupted?")
        }
        return size
    }
}

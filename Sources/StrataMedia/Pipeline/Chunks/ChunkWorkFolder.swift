import Foundation

/// The hidden folder inside a package being encoded in chunks, where each unit leaves what the next needs: the
/// plan, every chunk's segment facts, the audio tracks' facts. Assembling the package removes it. The server never
/// serves dot files, so players never see it.
struct ChunkWorkFolder {
    static let name = ".chunks"
    static let plan = "plan.json"
    static let audio = "audio.json"

    let url: URL

    init(package: URL) {
        url = package.appendingPathComponent(ChunkWorkFolder.name)
    }

    static func chunk(_ index: Int) -> String { "chunk-\(index).json" }

    /// What chunk `index` has finished so far, while it encodes (`UnitProgressJournal`).
    static func partialChunk(_ index: Int) -> String { "chunk-\(index).partial.json" }
    /// What the audio unit has finished so far, while it encodes.
    static let partialAudio = "audio.partial.json"

    /// Writes `value` as `file`, atomically: a unit killed midway leaves the old file or none.
    func write<Value: Encodable>(_ value: Value, as file: String) throws(TranscodeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try encoder.encode(value).write(to: url.appendingPathComponent(file), options: .atomic)
        } catch {
            throw TranscodeError(.output, "cannot write '\(file)' of the chunked encode: \(error.localizedDescription)")
        }
    }

    /// Reads `file`, which an earlier unit (`maker`) must have written.
    func read<Value: Decodable>(_ type: Value.Type, from file: String, madeBy maker: String) throws(TranscodeError) -> Value {
        guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(file).path) else {
            throw TranscodeError(.output, "the chunked encode has no '\(file)': \(maker) has not finished")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw TranscodeError(.output, "'\(file)' of the chunked encode cannot be read: \(error)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

import Foundation
import Yams

extension DocumentNode {
    /// The root node of YAML or JSON `text`, with YAML errors turned into a `ProfileError` at their line.
    static func compose(_ text: String, source: String) throws(ProfileError) -> DocumentNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ProfileError(source: source, keyPath: "", reason: "the document is empty")
            }
            return DocumentNode(node: node, keyPath: "", source: source)
        } catch let error as ProfileError {
            throw error
        } catch let error as YamlError {
            throw ProfileError(source: source, line: ProfileParser.yamlLine(error), keyPath: "",
                               reason: "not valid YAML or JSON: \(ProfileParser.yamlProblem(error))")
        } catch {
            throw ProfileError(source: source, keyPath: "", reason: "not valid YAML or JSON: \(error)")
        }
    }

    /// The UTF-8 text of the file at `path`.
    static func readText(_ path: String) throws(ProfileError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(source: path, keyPath: "", reason: "cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileError(source: path, keyPath: "", reason: "the file is not UTF-8 text")
        }
        return text
    }

}

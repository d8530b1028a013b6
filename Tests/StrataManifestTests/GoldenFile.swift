import Foundation
import Testing

/// Compares rendered text with a file under `Golden/`. Run with `STRATA_UPDATE_GOLDEN=1` to rewrite the
/// files after a deliberate change, then review the diff before committing.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["STRATA_UPDATE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "rendered text differs from Golden/\(name)", sourceLocation: sourceLocation)
}

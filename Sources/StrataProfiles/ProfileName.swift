/// The name of a profile in a profiles folder: a plain word, never a path, so a name from the network
/// cannot reach a file outside the folder.
public enum ProfileName {
    /// Longest usable name.
    public static let maximumLength = 64

    /// What a usable name looks like, for error messages.
    public static let rule = "1–64 ASCII letters, digits, '-' or '_', not starting with '-'"

    /// True for 1–64 ASCII letters, digits, `-` or `_`, not starting with `-` (no `/`, `.`, or `..`).
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumLength && name.first != "-"
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

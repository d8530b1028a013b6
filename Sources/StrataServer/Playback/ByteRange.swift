/// An HTTP `Range: bytes=…` request for one range (RFC 9110 §14.1.2).
enum ByteRangeRequest: Equatable {
    /// Serve the whole file: no Range header, several ranges, or one we do not understand (RFC 9110 allows ignoring it).
    case whole
    case range(ClosedRange<Int>)
    /// The range lies outside the file: answer 416.
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            self = .whole
            return
        }
        if parts[0].isEmpty {
            // bytes=-N: the last N bytes.
            guard let suffix = Int(parts[1]) else { self = .whole; return }
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .range(max(0, size - suffix)...(size - 1))
            return
        }
        guard let start = Int(parts[0]), start >= 0 else { self = .whole; return }
        guard start < size else { self = .unsatisfiable; return }
        if parts[1].isEmpty {
            self = .range(start...(size - 1))
        } else if let end = Int(parts[1]), end >= start {
            self = .range(start...min(end, size - 1))
        } else {
            self = .whole
        }
    }
}

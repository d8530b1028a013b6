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
        // RFC 9110 §14.1.2: positions are 1*DIGIT; "+9" or "-9" is malformed, and a malformed Range is ignored.
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else {
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
        guard let start = Int(parts[0]) else { self = .whole; return }
        let end = parts[1].isEmpty ? Int.max : Int(parts[1]) ?? Int.max
        // RFC 9110 §14.1.1: last-pos below first-pos is invalid (ignored), not unsatisfiable.
        guard end >= start else { self = .whole; return }
        guard start < size else { self = .unsatisfiable; return }
        self = .range(start...min(end, size - 1))
    }
}

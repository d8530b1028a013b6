// fuzz-sources: Sources/StrataServer/Playback/ByteRange.swift Sources/StrataServer/Playback/PlaybackHeaders.swift Sources/StrataServer/Playback/FieldList.swift Sources/StrataServer/Playback/RangeCondition.swift
// Range, If-Range, If-None-Match and Accept-Encoding as players and CDNs send them.
// Invariants: a range served is inside the file and is exactly the one RFC 9110 §14.1.2 syntax names; a 416 is
// only for a well-formed range the file cannot satisfy (a malformed one is ignored); a tag matches only itself;
// If-Range lets a range through only for the current strong tag or exact, strong Last-Modified date.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func httpHeadersFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The first two bytes choose the file size (small sizes find the edges), the rest is the header.
    let fileSize = Int(bytes[0]) << (bytes[1] & 0x1F) | Int(bytes[1] >> 5)
    let header = String(decoding: bytes.dropFirst(2), as: UTF8.self)
    checkRange(header, fileSize: fileSize)
    checkEntityTag(header, fileSize: fileSize)
    checkIfRange(header, fileSize: fileSize)
    if PlaybackHeaders.acceptsGzip(header) {
        let lowered = header.lowercased()
        precondition(lowered.contains("gzip") || lowered.contains("*"), "gzip accepted from \(header.debugDescription)")
    }
    return 0
}

/// RFC 9110 §14.1.2 for one range, written independently: nil when the header is not one well-formed byte range.
func referenceRange(_ header: String, size: Int) -> ByteRangeRequest? {
    guard header.hasPrefix("bytes=") else { return nil }
    let spec = header.dropFirst(6).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    guard let dash = spec.firstIndex(of: "-") else { return nil }
    let first = spec[..<dash], last = spec[spec.index(after: dash)...]
    let isDigits = { (text: Substring) in text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
    guard isDigits(first), isDigits(last), !(first.isEmpty && last.isEmpty) else { return nil }
    if first.isEmpty {
        guard let suffix = Int(last) else { return nil }  // larger than any file: ignoring it is allowed
        return suffix == 0 || size == 0 ? .unsatisfiable : .range(max(0, size - suffix)...(size - 1))
    }
    guard let start = Int(first) else { return nil }
    let end = last.isEmpty ? Int.max : Int(last) ?? Int.max
    guard end >= start else { return nil }  // an invalid range-spec: ignored
    return start >= size ? .unsatisfiable : .range(start...min(end, size - 1))
}

func checkRange(_ header: String, fileSize: Int) {
    let parsed = ByteRangeRequest(header: header, size: fileSize)
    let reference = referenceRange(header, size: fileSize)
    switch parsed {
    case .whole:
        // Ignoring a Range header is always allowed (RFC 9110 §14.2), but not a plain, well-formed one.
        if let reference, case .range = reference, !header.contains(" "), !header.contains("\t"), header.utf8.count <= 24 {
            preconditionFailure("ignored the well-formed \(header.debugDescription) for a \(fileSize)-byte file")
        }
    case .range(let range):
        precondition(range.lowerBound >= 0 && range.upperBound < fileSize, "\(range) outside a \(fileSize)-byte file")
        precondition(reference == parsed, "\(header.debugDescription) served \(range), RFC 9110 says \(String(describing: reference))")
    case .unsatisfiable:
        precondition(reference == .unsatisfiable, "416 for \(header.debugDescription) (\(fileSize) bytes); RFC 9110 says \(String(describing: reference))")
    }
}

func checkEntityTag(_ header: String, fileSize: Int) {
    let tag = "\"\(String(fileSize, radix: 16))-1\""
    if PlaybackHeaders.ifNoneMatch(header, matches: tag) {
        precondition(header.trimmingCharacters(in: .whitespaces) == "*" || header.contains(tag), "\(header.debugDescription) matched \(tag)")
    }
    precondition(PlaybackHeaders.ifNoneMatch(tag, matches: tag) && PlaybackHeaders.ifNoneMatch("W/" + tag, matches: tag))
    if !header.contains(",") && !header.contains("\"") {
        precondition(PlaybackHeaders.ifNoneMatch(header + ", " + tag, matches: tag), "a list ending in the tag must match")
    }
}

func checkIfRange(_ header: String, fileSize: Int) {
    let tag = "\"\(String(fileSize, radix: 16))-1\""
    let modified = Date(timeIntervalSince1970: Double(fileSize % 4_000_000_000)), now = modified.addingTimeInterval(10)
    let date = HTTPDate.string(secondsSince1970: fileSize % 4_000_000_000)
    precondition(date.count == 29 && date.hasSuffix(" GMT"), "not an IMF-fixdate: \(date)")
    if RangeCondition.allowsRange(ifRange: header, entityTag: tag, lastModified: modified, now: now) {
        let validator = header.trimmingCharacters(in: .whitespaces)
        precondition(validator == tag || validator == date, "If-Range \(header.debugDescription) let a range through for \(tag), \(date)")
    }
    precondition(RangeCondition.allowsRange(ifRange: nil, entityTag: tag, lastModified: modified, now: now))
    precondition(RangeCondition.allowsRange(ifRange: tag, entityTag: tag, lastModified: modified, now: now))
    precondition(!RangeCondition.allowsRange(ifRange: "W/" + tag, entityTag: tag, lastModified: modified, now: now), "weak tags never match")
    precondition(RangeCondition.allowsRange(ifRange: date, entityTag: tag, lastModified: modified, now: now))
    precondition(!RangeCondition.allowsRange(ifRange: date, entityTag: tag, lastModified: modified, now: modified), "a weak date let a range through")
}

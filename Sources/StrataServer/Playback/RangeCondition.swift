import Foundation

/// `If-Range` (RFC 9110 §13.1.5): whether a `Range` header may be honoured, or the whole current file
/// must be sent (200) because the client's copy is not the one it holds part of.
enum RangeCondition {
    /// True when there is no `If-Range`, or when it names the current representation: the same strong
    /// entity tag (weak tags never match), or exactly the `Last-Modified` date when that date is strong
    /// (§8.8.2.2: at least a second older than now, so the file cannot have changed twice within it).
    static func allowsRange(ifRange: String?, entityTag: String, lastModified: Date, now: Date = Date()) -> Bool {
        guard let validator = ifRange?.trimmingCharacters(in: .whitespaces) else { return true }
        if validator.hasPrefix("\"") || validator.hasPrefix("W/") {
            return validator == entityTag
        }
        let modifiedSeconds = Int(lastModified.timeIntervalSince1970)
        return validator == HTTPDate.string(secondsSince1970: modifiedSeconds)
            && now.timeIntervalSince1970 - Double(modifiedSeconds) >= 1
    }
}

/// HTTP dates in the IMF-fixdate form (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func string(secondsSince1970 seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}

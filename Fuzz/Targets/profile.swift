// fuzz-modules: StrataMedia
// Profile and viewer-preset parsing (YAML or JSON from users and from the HTTP API).
// Invariants: an accepted profile obeys every documented rule and parses the same each time; a refusal is a
// ProfileError that names its source.
import Foundation
import StrataProfiles

@_cdecl("LLVMFuzzerTestOneInput")
public func profileFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    checkViewerPreset(text)
    let profile: EncodingProfile
    do {
        profile = try ProfileParser.parse(text, source: "fuzz", defaultName: "fuzzed")
    } catch {
        precondition(error.source == "fuzz" && !error.reason.isEmpty, "unhelpful error \(error)")
        return 0
    }
    precondition((1...12).contains(profile.renditions.count), "ladder size \(profile.renditions.count)")
    precondition(Set(profile.renditions.map(\.name)).count == profile.renditions.count, "duplicate rendition names")
    precondition((1...60).contains(profile.segmentSeconds) && (0.25...10).contains(profile.gopSeconds), "segment/gop out of range")
    let ratio = profile.segmentSeconds / profile.gopSeconds
    precondition(abs(ratio - ratio.rounded()) <= 1e-6, "segments do not start on keyframes")
    precondition((1...120).contains(profile.maxFrameRate), "frame rate out of range")
    for rendition in profile.renditions {
        precondition(rendition.height > 0 && (rendition.width ?? 1) > 0, "empty picture \(rendition)")
        precondition(rendition.bitrate > 0 && rendition.maxrate >= rendition.bitrate && rendition.bufsize > 0, "rates \(rendition)")
    }
    // Profiles' Codable form (per-title, thumbnails, rate control) is not the file format, so no JSON round trip.
    precondition(try! ProfileParser.parse(text, source: "fuzz", defaultName: "fuzzed") == profile, "parsing is not deterministic")
    return 0
}

/// A viewer preset is accepted or refused with a located error (its JSON form differs from its YAML, so no round trip).
func checkViewerPreset(_ text: String) {
    do {
        let preset = try ViewerPresetParser.parse(text, source: "fuzz", defaultName: "fuzzed")
        precondition(!preset.name.isEmpty, "a preset without a name")
        precondition(try! ViewerPresetParser.parse(text, source: "fuzz", defaultName: "fuzzed") == preset, "parsing is not deterministic")
    } catch {
        precondition(error.source == "fuzz" && !error.reason.isEmpty, "unhelpful error \(error)")
    }
}

import Foundation
import StrataManifest
import Yams

/// Reads profiles from YAML or JSON text, rejecting unknown keys, wrong types and impossible values.
public enum ProfileParser {
    static let topKeys = ["name", "description", "segment_seconds", "gop_seconds", "max_frame_rate", "scaling", "video", "renditions", "audio", "thumbnails", "rate_control", "quality", "crops", "chunking"]
    static let qualityKeys = ["crf", "max_psnr_loss", "rung_spacing"]
    /// `rate_control` values: the profile's own bit rates, or per-title analysis.
    static let rateControls = ["fixed", "per_title"]
    static let videoKeys = ["codec", "preset", "profile", "level", "tier"]
    static let renditionKeys = ["name", "width", "height", "bitrate", "maxrate", "bufsize"] + videoKeys
    static let audioKeys = ["codec", "bitrate", "channels", "sample_rate", "languages"]

    /// x264's presets, fastest first.
    public static let presets = VideoCodecRules.of(.h264).presets
    public static let h264Profiles = VideoCodecRules.of(.h264).profiles
    public static let h264Levels = VideoCodecRules.of(.h264).levels

    /// Parses `text` (YAML or JSON).
    /// - Parameters:
    ///   - source: where the text came from, for error messages (a path or "request body").
    ///   - defaultName: the profile's name when the document has no `name` key (e.g. the file's base name).
    public static func parse(_ text: String, source: String, defaultName: String? = nil) throws(ProfileError) -> EncodingProfile {
        return try read(DocumentNode.compose(text, source: source), defaultName: defaultName)
    }

    /// Loads the profile file at `path`; its name defaults to the file's base name.
    public static func load(contentsOf path: String) throws(ProfileError) -> EncodingProfile {
        let url = URL(fileURLWithPath: path)
        let text = try DocumentNode.readText(path)
        return try parse(text, source: path, defaultName: url.deletingPathExtension().lastPathComponent)
    }

    private static func read(_ document: DocumentNode, defaultName: String?) throws(ProfileError) -> EncodingProfile {
        let top = try document.mapping(allowedKeys: topKeys)
        let name: String
        if let node = top["name"] {
            name = try node.string()
            try validateName(name, node)
        } else if let defaultName {
            name = defaultName
            try validateName(name, document)
        } else {
            throw document.error("missing required key 'name'")
        }
        let segmentSeconds = try top["segment_seconds"]?.number(in: 1...60) ?? 6
        let gopSeconds = try top["gop_seconds"]?.number(in: 0.25...10) ?? 2
        let ratio = segmentSeconds / gopSeconds
        if abs(ratio - ratio.rounded()) > 1e-6 {
            throw (top["gop_seconds"] ?? top["segment_seconds"]!).error(
                "segment_seconds (\(segmentSeconds)) must be a whole multiple of gop_seconds (\(gopSeconds)) so every segment starts on a keyframe")
        }
        let maxFrameRate = try top["max_frame_rate"]?.number(in: 1...120) ?? 60
        let scaling = try top["scaling"]?.choice(ScalingAlgorithm.self) ?? .bicubic
        let videoDefaults = try readVideoDefaults(top["video"])
        let renditionsNode = try top.required("renditions")
        let renditionNodes = try renditionsNode.sequence()
        guard !renditionNodes.isEmpty else { throw renditionsNode.error("the ladder needs at least one rendition") }
        guard renditionNodes.count <= 12 else { throw renditionsNode.error("at most 12 renditions are supported, got \(renditionNodes.count)") }
        var renditions: [RenditionSpec] = []
        for node in renditionNodes {
            let rendition = try readRendition(node, defaults: videoDefaults)
            if renditions.contains(where: { $0.name == rendition.name }) {
                throw node.error("rendition name '\(rendition.name)' is used twice; names must be unique")
            }
            renditions.append(rendition)
        }
        let audio = try readAudio(top["audio"])
        let perTitle = try readPerTitle(top)
        return EncodingProfile(
            name: name, description: try top["description"]?.string(), segmentSeconds: segmentSeconds,
            gopSeconds: gopSeconds, maxFrameRate: maxFrameRate, scaling: scaling, renditions: renditions, audio: audio,
            thumbnails: try readThumbnails(top["thumbnails"]), perTitle: perTitle, crops: try readCrops(top["crops"]),
            chunking: try readChunking(top["chunking"]))
    }

    /// Video settings as written (`video:` or a rendition), checked against their codec's rules once merged.
    private struct VideoSettings {
        var codec: VideoCodec?
        var preset: DocumentNode?
        var profile: DocumentNode?
        var level: DocumentNode?
        var tier: DocumentNode?

        init(_ mapping: DocumentMapping?) throws(ProfileError) {
            guard let mapping else { return }
            codec = try mapping["codec"]?.choice(VideoCodec.self)
            preset = mapping["preset"]
            profile = mapping["profile"]
            level = mapping["level"]
            tier = mapping["tier"]
        }

        /// These settings over `defaults`; a rendition that names another codec than `video:` starts
        /// from that codec's own defaults, since presets and profiles do not carry across codecs.
        func over(_ defaults: VideoSettings) -> VideoSettings {
            var merged = codec == nil || codec == defaults.codec ? defaults : VideoSettings(codec: codec)
            merged.preset = preset ?? merged.preset
            merged.profile = profile ?? merged.profile
            merged.level = level ?? merged.level
            merged.tier = tier ?? merged.tier
            return merged
        }

        private init(codec: VideoCodec?) { self.codec = codec }

        /// Validated values for the merged codec, e.g. `preset: fast` under `codec: av1` is rejected here.
        func resolved() throws(ProfileError) -> (codec: VideoCodec, preset: String, profile: String, level: String?, tier: String?) {
            let codec = codec ?? .h264
            let rules = VideoCodecRules.of(codec)
            let preset = try preset.map { node throws(ProfileError) in try node.choice(of: rules.presets, for: codec) } ?? rules.defaultPreset
            let profile = try profile.map { node throws(ProfileError) in try node.choice(of: rules.profiles, for: codec) } ?? rules.defaultProfile
            let level = try level.map { node throws(ProfileError) in try node.choice(of: rules.levels, for: codec) }
            var tier: String?
            if let node = self.tier {
                guard !rules.tiers.isEmpty else { throw node.error("\(codec.rawValue) has no tiers Strata can signal; remove 'tier' or use codec hevc") }
                tier = try node.choice(of: rules.tiers, for: codec)
            }
            return (codec, preset, profile, level, tier)
        }
    }

    private static func readVideoDefaults(_ node: DocumentNode?) throws(ProfileError) -> VideoSettings {
        let defaults = try VideoSettings(node?.mapping(allowedKeys: videoKeys))
        _ = try defaults.resolved()
        return defaults
    }

    private static func readRendition(_ node: DocumentNode, defaults: VideoSettings) throws(ProfileError) -> RenditionSpec {
        let mapping = try node.mapping(allowedKeys: renditionKeys)
        let settings = try VideoSettings(mapping).over(defaults).resolved()
        let height = try mapping.required("height").integer(in: 32...4320)
        let width = try mapping["width"]?.integer(in: 32...7680)
        let bitrateNode = try mapping.required("bitrate")
        let bitrate = try bitrateNode.bitRate(in: 50_000...100_000_000)
        let maxrate = try mapping["maxrate"]?.bitRate(in: 50_000...200_000_000) ?? RenditionSpec.defaultMaxrate(bitrate)
        if maxrate < bitrate {
            throw mapping["maxrate"]!.error("maxrate (\(BitRate.format(maxrate))) must not be below bitrate (\(BitRate.format(bitrate)))")
        }
        let bufsize = try mapping["bufsize"]?.bitRate(in: 50_000...400_000_000) ?? RenditionSpec.defaultBufsize(bitrate)
        let name: String
        if let nameNode = mapping["name"] {
            name = try nameNode.string()
            try validateName(name, nameNode)
        } else {
            // Parallel ladders share heights, so only H.264 rungs get the bare "720p".
            name = settings.codec == .h264 ? "\(height)p" : "\(height)p-\(settings.codec.rawValue)"
        }
        return RenditionSpec(name: name, height: height, width: width, bitrate: bitrate, maxrate: maxrate, bufsize: bufsize,
                             codec: settings.codec, preset: settings.preset, profile: settings.profile, level: settings.level,
                             tier: settings.tier)
    }

    /// `rate_control: per_title` with `quality: {crf: 21}` or `quality: {max_psnr_loss: 0.3}` (and optionally
    /// `rung_spacing: 1.4`); nil for a fixed ladder.
    private static func readPerTitle(_ top: DocumentMapping) throws(ProfileError) -> PerTitleTarget? {
        let mode = try top["rate_control"]?.choice(of: rateControls) ?? "fixed"
        guard mode == "per_title" else {
            if let quality = top["quality"] {
                throw quality.error("a quality target needs 'rate_control: per_title'; a fixed ladder uses each rung's bitrate")
            }
            return nil
        }
        guard let qualityNode = top["quality"] else {
            throw top["rate_control"]!.error("per_title needs a quality target, e.g. 'quality: {max_psnr_loss: 0.3}' or 'quality: {crf: 21}'")
        }
        let quality = try qualityNode.mapping(allowedKeys: qualityKeys)
        let goal: PerTitleTarget.Goal
        switch (quality["crf"], quality["max_psnr_loss"]) {
        case (let crf?, nil):
            goal = .constantQuality(crf: try crf.number(in: 10...35))
        case (nil, let loss?):
            goal = .matchFixedLadder(maximumPSNRLoss: try loss.number(in: 0.05...3))
        case (_?, let loss?):
            throw loss.error("give either 'crf' (one quality level for every rung) or 'max_psnr_loss' (match the fixed ladder), not both")
        case (nil, nil):
            throw qualityNode.error("the quality target needs 'max_psnr_loss' (dB below the fixed ladder, e.g. 0.3) or 'crf' (e.g. 21)")
        }
        let spacing = try quality["rung_spacing"]?.number(in: 1.1...4) ?? 1.4
        return PerTitleTarget(goal: goal, minimumRungSpacing: spacing)
    }

    private static func readAudio(_ node: DocumentNode?) throws(ProfileError) -> AudioSpec {
        var audio = AudioSpec()
        guard let node else { return audio }
        let mapping = try node.mapping(allowedKeys: audioKeys)
        if let codec = try mapping["codec"]?.choice(AudioCodec.self) { audio.codec = codec }
        if let bitrate = try mapping["bitrate"]?.bitRate(in: 32_000...512_000) { audio.bitrate = bitrate }
        if let channelsNode = mapping["channels"] {
            audio.channels = Int(try channelsNode.choice(of: ["1", "2"]))!
        }
        if let rateNode = mapping["sample_rate"] {
            audio.sampleRate = Int(try rateNode.choice(of: ["44100", "48000"]))!
        }
        if let languagesNode = mapping["languages"] {
            let nodes = try languagesNode.sequence()
            guard !nodes.isEmpty else { throw languagesNode.error("list at least one language, or leave the key out to keep them all") }
            audio.languages = []
            for node in nodes {
                let code = try node.string()
                guard let tag = LanguageTag.bcp47(code), tag != "und" else {
                    throw node.error("'\(code)' is not a language code Strata knows; use ISO 639 codes such as en, es, fra, deu")
                }
                audio.languages!.append(tag)
            }
        }
        return audio
    }

    static func validateName(_ name: String, _ node: DocumentNode) throws(ProfileError) {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard !name.isEmpty, name.count <= 64, allowed, name.first != "-" else {
            throw node.error("'\(name)' is not a usable name; use 1–64 letters, digits, '-' or '_'")
        }
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys \(duplicates.joined(separator: ", "))"
        default: "\(error)"
        }
    }
}

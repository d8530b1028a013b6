import Foundation
import FoundationXML
import Testing
import TestSupport

extension CLISuite {
    /// The industry's own validators on a multitrack package: DASH-IF's ISO segment validator on every video and
    /// audio Representation, DASH-IF's MPD schematron, and the DASH-MPD schema (xmllint).
    @Suite("conformance: DASH-IF's validators pass the package", .enabled(if: DASHIFTools.isAvailable, Comment(rawValue: DASHIFTools.unavailableReason)))
    struct ConformanceTests {
        /// Schematron findings that are not defects of the package, by message, with the reason.
        static let schematronQuirks: [String: String] = [
            "The value of Role (role) shall be caption, subtitle, main, alternate, supplementary, commentary or dub.":
                "the schematron knows ISO/IEC 23009-1:2012's Role values only; forced-subtitle (on the forced French captions) "
                + "joined the role scheme in the 2019 edition and is how DASH-IF IOP, dash.js and Shaka mark forced subtitles",
        ]
        /// Segment-validator errors that are not defects of the package, by message fragment, with the reason. None today.
        static let segmentQuirks: [String: String] = [:]

        /// The multitrack master (three audio tracks, two subtitle streams) packaged once for every test here.
        static func package() throws -> URL { try fixture.get() }
        private static let fixture = Result { () throws -> URL in
            let output = try makeTemporaryDirectory("conformance").appendingPathComponent("package")
            let result = try StrataBinary.run(["transcode", try TestMasters.path(TestMasters.multiTrack), "--output", output.path])
            guard result.status == 0 else { throw ToolError("strata transcode failed: \(result.stderr)") }
            return output
        }

        @Test("ISOSegmentValidator (-cmaf -dashifbase -isolive -startwithsap 1): no errors on any video or audio Representation")
        func segments() throws {
            let root = try Self.package()
            let representations = try MPDRepresentation.read(root.appendingPathComponent("manifest.mpd")).filter { $0.initialization != nil }
            #expect(representations.filter { $0.contentType == "video" }.count >= 1 && representations.filter { $0.contentType == "audio" }.count == 3)
            for representation in representations {
                var arguments = ["-codecs", representation.codecs, "-bandwidth", representation.bandwidth, "-minbuffertime", representation.minBufferTime]
                if representation.contentType == "video" {
                    arguments += ["-width", representation.width ?? "", "-height", representation.height ?? "", "-sarx", "1", "-sary", "1",
                                  "-framerate", representation.frameRate ?? ""]
                } else {
                    arguments += ["-audiochvalue", representation.channels ?? ""]
                }
                let report = try DASHIFTools.validateRepresentation(
                    initSegment: root.appendingPathComponent(representation.initialization!),
                    segments: representation.segmentFiles.map(root.appendingPathComponent), arguments: arguments)
                let errors = report.errors.filter { error in !Self.segmentQuirks.keys.contains { error.message.contains($0) } }
                #expect(errors.isEmpty, "\(representation.id): \(errors.map(\.description).joined(separator: "\n"))")
                print("\(representation.id): \(report.errors.count) errors, \(report.warnings.count) warnings\n  " + report.warnings.joined(separator: "\n  "))
            }
        }

        @Test("DASH-IF schematron (Saxon-HE) and the DASH-MPD schema (xmllint) pass the MPD")
        func manifest() throws {
            let mpd = try Self.package().appendingPathComponent("manifest.mpd")
            let failures = try DASHIFTools.schematronFailures(mpd)
            let unexplained = failures.filter { Self.schematronQuirks[$0.message] == nil }
            #expect(unexplained.isEmpty, "\(unexplained.map(\.description).joined(separator: "\n"))")
            for failure in failures where Self.schematronQuirks[failure.message] != nil {
                print("schematron quirk: \(failure.message) — \(Self.schematronQuirks[failure.message]!)")
            }
            let schema = try ToolRunner.run("xmllint", ["--noout", "--schema", dashSchema.path, mpd.path])
            #expect(schema.succeeded, "\(schema.stderr)")
        }

        @Test("the checks can fail: a segment without msdh and a truncated maxSegmentDuration are caught")
        func brokenCopies() throws {
            let root = try Self.package()
            let work = try makeTemporaryDirectory("broken")
            defer { try? FileManager.default.removeItem(at: work) }
            let representations = try MPDRepresentation.read(root.appendingPathComponent("manifest.mpd"))
            let video = try #require(representations.first { $0.contentType == "video" })
            var segments: [URL] = []
            for file in video.segmentFiles {
                var bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(file)))
                for offset in [8, 16] where String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self) == "msdh" {
                    bytes.replaceSubrange(offset..<(offset + 4), with: Array("xxxx".utf8))
                }
                let copy = work.appendingPathComponent(file.replacingOccurrences(of: "/", with: "-"))
                try Data(bytes).write(to: copy)
                segments.append(copy)
            }
            let report = try DASHIFTools.validateRepresentation(
                initSegment: root.appendingPathComponent(video.initialization!), segments: segments,
                arguments: ["-codecs", video.codecs, "-width", video.width ?? "", "-height", video.height ?? ""])
            #expect(report.errors.contains { $0.message.contains("msdh") }, "\(report.errors)")

            let mpd = try String(contentsOf: root.appendingPathComponent("manifest.mpd"), encoding: .utf8)
            let truncated = try #require(mpd.range(of: #"maxSegmentDuration="PT6\.(\d+)S""#, options: .regularExpression))
            let broken = work.appendingPathComponent("manifest.mpd")
            try mpd.replacingCharacters(in: truncated, with: #"maxSegmentDuration="PT6S""#).write(to: broken, atomically: true, encoding: .utf8)
            let failures = try DASHIFTools.schematronFailures(broken)
            #expect(failures.contains { $0.message.contains("maxSegmentDuration") }, "\(failures)")
        }

        @Test("CMAF brands: cmfc in every init segment, cmfs in every segment; AAC ES_ID 0; first decode time above 0")
        func brands() throws {
            let root = try Self.package()
            for representation in try MPDRepresentation.read(root.appendingPathComponent("manifest.mpd")) {
                guard let initialization = representation.initialization else { continue }
                let header = try [UInt8](Data(contentsOf: root.appendingPathComponent(initialization)))
                #expect(ISOBytes.brands(header, "ftyp").contains("cmfc"), "\(initialization)")
                #expect(!ISOBytes.brands(header, "ftyp").contains("cmf2"), "cmf2 promises more than is checked: \(initialization)")
                if representation.contentType == "audio" {
                    #expect(ISOBytes.elementaryStreamID(header) == 0, "ISO/IEC 23000-19 §10.3.4.2.3: \(initialization)")
                }
                for (index, file) in representation.segmentFiles.enumerated() {
                    let segment = try [UInt8](Data(contentsOf: root.appendingPathComponent(file)))
                    #expect(ISOBytes.brands(segment, "styp").contains("cmfs") && ISOBytes.brands(segment, "styp").contains("msdh"), "\(file)")
                    // VHS 1.x reads a baseMediaDecodeTime of 0 as missing.
                    if index == 0 { #expect((ISOBytes.firstDecodeTime(segment) ?? 0) > 0, "\(file)") }
                }
            }
        }
    }
}

/// A Representation of an MPD, with what the segment validator needs to know about it.
struct MPDRepresentation {
    var id: String
    var contentType: String
    var codecs: String
    var bandwidth: String
    var minBufferTime: String
    var width: String?
    var height: String?
    var frameRate: String?
    var channels: String?
    var initialization: String?
    /// Media segment paths relative to the package root, expanded from `$Number$` over the SegmentTimeline.
    var segmentFiles: [String]

    static func read(_ url: URL) throws -> [MPDRepresentation] {
        let document = try XMLDocument(contentsOf: url)
        // attribute(forName:) misses attributes of namespaced elements in Linux's FoundationXML; the list does not.
        func attribute(_ node: XMLNode?, _ name: String) -> String? {
            (node as? XMLElement)?.attributes?.first { $0.name == name }?.stringValue
        }
        let minBufferTime = attribute(document.rootElement(), "minBufferTime").map {
            String($0.dropFirst(2).dropLast())  // PT6S → 6
        } ?? "0"
        return try document.nodes(forXPath: "//*[local-name()='Representation']").compactMap { node in
            guard let element = node as? XMLElement, let set = element.parent,
                  let template = element.elements(forName: "SegmentTemplate").first,
                  let media = attribute(template, "media") else { return nil }
            let start = Int(attribute(template, "startNumber") ?? "1") ?? 1
            let count = template.elements(forName: "SegmentTimeline").first?.elements(forName: "S")
                .reduce(0) { $0 + 1 + (Int(attribute($1, "r") ?? "0") ?? 0) } ?? 0
            let channels = (set as? XMLElement)?.elements(forName: "AudioChannelConfiguration").first.flatMap { attribute($0, "value") }
            return MPDRepresentation(
                id: attribute(element, "id") ?? "", contentType: attribute(set, "contentType") ?? "",
                codecs: attribute(element, "codecs") ?? "", bandwidth: attribute(element, "bandwidth") ?? "",
                minBufferTime: minBufferTime, width: attribute(element, "width"), height: attribute(element, "height"),
                frameRate: attribute(element, "frameRate"), channels: channels, initialization: attribute(template, "initialization"),
                segmentFiles: (start..<(start + count)).map { media.replacingOccurrences(of: "$Number$", with: String($0)) })
        }
    }
}

/// Reads a few fields of ISO BMFF files by scanning for box types: enough for top-level boxes of known files.
enum ISOBytes {
    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The offset of the first box of `type` (its size field), found by its four-character code.
    static func find(_ bytes: [UInt8], _ type: String) -> Int? {
        let code = Array(type.utf8)
        guard bytes.count >= 8 else { return nil }
        return (4...(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual(code) }.map { $0 - 4 }
    }

    /// Major and compatible brands of the `ftyp` or `styp` box that starts the file.
    static func brands(_ bytes: [UInt8], _ type: String) -> [String] {
        guard bytes.count >= 16, String(decoding: bytes[4..<8], as: UTF8.self) == type else { return [] }
        let size = Int(uint32(bytes, 0))
        return stride(from: 8, to: min(size, bytes.count) - 3, by: 4).filter { $0 != 12 }.map { String(decoding: bytes[$0..<($0 + 4)], as: UTF8.self) }
    }

    /// ES_ID of the first `esds` ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5).
    static func elementaryStreamID(_ bytes: [UInt8]) -> Int? {
        guard let esds = find(bytes, "esds") else { return nil }
        var cursor = esds + 12  // size, type, version and flags
        guard cursor < bytes.count, bytes[cursor] == 0x03 else { return nil }
        cursor += 1
        while cursor < bytes.count, bytes[cursor] & 0x80 != 0 { cursor += 1 }
        cursor += 1
        guard cursor + 2 <= bytes.count else { return nil }
        return Int(bytes[cursor]) << 8 | Int(bytes[cursor + 1])
    }

    /// `baseMediaDecodeTime` of the first `tfdt` (ISO/IEC 14496-12 §8.8.12).
    static func firstDecodeTime(_ bytes: [UInt8]) -> UInt64? {
        guard let tfdt = find(bytes, "tfdt"), tfdt + 20 <= bytes.count else { return nil }
        return bytes[tfdt + 8] == 1 ? UInt64(uint32(bytes, tfdt + 12)) << 32 | UInt64(uint32(bytes, tfdt + 16)) : UInt64(uint32(bytes, tfdt + 12))
    }
}

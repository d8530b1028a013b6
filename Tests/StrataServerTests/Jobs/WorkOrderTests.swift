import Foundation
@testable import StrataServer
import StrataMedia
import Testing

/// Work orders come from the shared queue, over the network: what they name must stay a name.
@Suite("work orders from the shared queue")
struct WorkOrderTests {
    func order(asset: String = "k3d9", sidecar: String = "1-en.srt", version: Int = 1) -> String {
        """
        {"kind": "transcode", "assetID": "\(asset)", "profileJSON": "{}", "packageVersion": \(version),
         "sidecars": [{"id": 1, "kind": "captions", "language": "en", "variant": "subtitles", "fileName": "\(sidecar)"}]}
        """
    }

    @Test("a well-formed order reads back as written")
    func roundTrip() throws {
        let read = try WorkOrder(json: order())
        #expect(read.assetID == "k3d9" && read.sidecars.map(\.fileName) == ["1-en.srt"] && read.kind == .transcode)
        #expect(try WorkOrder(json: read.json) == read)
    }

    @Test("asset ids and sidecar names that could leave the asset's folder are refused", arguments: [
        ("..", "1-en.srt"), ("../other", "1-en.srt"), ("/etc", "1-en.srt"), ("", "1-en.srt"),
        ("k3d9", "../../master"), ("k3d9", "/etc/passwd"), ("k3d9", "."), ("k3d9", "a\\u0000b"),
    ])
    func pathsRefused(asset: String, sidecar: String) {
        #expect(throws: TranscodeError.self) { try WorkOrder(json: order(asset: asset, sidecar: sidecar)) }
    }

    @Test("an order that is not JSON, or names no package version, is refused with a reason")
    func malformed() {
        for text in ["", "not json", order(version: 0), #"{"kind": "explode"}"#] {
            #expect(throws: TranscodeError.self) { try WorkOrder(json: text) }
        }
    }

    @Test("a chunk step reads back with its chunk; a negative chunk or a chunk size under 1 is refused")
    func chunkSteps() throws {
        let step = try WorkOrder(json: order()).step(.chunk, chunk: 3)
        let read = try WorkOrder(json: step.json)
        #expect(read.kind == .chunk && read.chunk == 3 && read.segmentsPerChunk == nil && read.assetID == "k3d9")
        let plan = try WorkOrder(json: order()).step(.plan, segmentsPerChunk: 10)
        #expect(try WorkOrder(json: plan.json).segmentsPerChunk == 10)
        let base = try WorkOrder(json: order())
        for bad in [base.step(.chunk, chunk: -1), base.step(.plan, segmentsPerChunk: 0)] {
            #expect(throws: TranscodeError.self) { try WorkOrder(json: bad.json) }
        }
    }

    @Test("a failure's code survives the queue's reason text; an unknown prefix is an encoding failure")
    func failureReasons() {
        let reason = TranscodeError(.notMedia, "assets/k3d9/master: not a video file").queueReason
        let back = TranscodeError(queueReason: reason)
        #expect(back.code == .notMedia && back.message == "assets/k3d9/master: not a video file")
        #expect(TranscodeError(queueReason: "its worker stopped renewing the lease 3 times").code == .encoding)
    }
}

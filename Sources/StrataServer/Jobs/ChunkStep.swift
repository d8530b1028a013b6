import Foundation
import Logging
import StrataMedia
import StrataProfiles

/// Runs one step of a transcode cut into chunks, on whichever worker claimed it; each step's facts (JSON) are its
/// unit's result, for the job that waits on the steps.
struct ChunkStep {
    let logger: Logger

    func run(_ order: WorkOrder, request: TranscodeRequest, cancellation: TranscodeCancellation,
             progress: @escaping @Sendable (Double) -> Void) throws(TranscodeError) -> UnitResult {
        let started = ContinuousClock.now
        let transcoder = ChunkedTranscoder(logger: logger)
        let json: String
        switch order.kind {
        case .plan:
            json = ChunkStep.encoded(try transcoder.plan(request, segmentsPerChunk: order.segmentsPerChunk ?? ChunkingSpec().segmentsPerChunk))
        case .chunk:
            guard let chunk = order.chunk else { throw TranscodeError(.unsupported, "a chunk step without a chunk number") }
            json = ChunkStep.encoded(try transcoder.encode(chunk: chunk, of: request, cancellation: cancellation) { progress($0.fraction) })
        case .audio:
            json = ChunkStep.encoded(try transcoder.encodeAudio(of: request, cancellation: cancellation))
        case .assemble:
            _ = try transcoder.assemble(request)
            json = try UnitWork.packageFacts(of: request)
        case .transcode, .repackage:
            throw TranscodeError(.unsupported, "\(order.kind.rawValue) is not a step of a chunked transcode")
        }
        return UnitResult(factsJSON: json, wallSeconds: (ContinuousClock.now - started).seconds)
    }

    static func encoded<Value: Encodable>(_ value: Value) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
    }
}

import Foundation
import StrataMedia

/// Everything needed to run one unit from the shared data folder, without the API server's database: the asset,
/// the profile it was uploaded with, and its sidecar tracks by file name. Names, never paths: each worker finds the
/// files under its own `--data` folder (the same share, mounted wherever that machine mounts it).
struct WorkOrder: Codable, Sendable, Equatable {
    /// A sidecar track to package, as its record says.
    struct Sidecar: Codable, Sendable, Equatable {
        var id: Int64
        var kind: SidecarKind
        var language: String
        var variant: String
        var fileName: String
    }

    var kind: JobKind
    var assetID: String
    /// The profile as it was at upload (JSON).
    var profileJSON: String
    var sidecars: [Sidecar]
    /// The package version a transcode writes, or a repackage reads (it writes the next one).
    var packageVersion: Int
    /// For a `chunk` step: which chunk of the plan.
    var chunk: Int?
    /// For a `plan` step: segments per chunk.
    var segmentsPerChunk: Int?

    init(kind: JobKind, asset: AssetRecord, sidecars: [SidecarRecord], packageVersion: Int) {
        self.kind = kind
        assetID = asset.id
        profileJSON = asset.profileJSON
        self.sidecars = sidecars.map {
            Sidecar(id: $0.id ?? 0, kind: $0.kind, language: $0.language, variant: $0.variant, fileName: $0.fileName)
        }
        self.packageVersion = packageVersion
    }

    /// The same job's `kind` step (a chunked transcode's plan, chunk, audio or assembly).
    func step(_ kind: JobKind, chunk: Int? = nil, segmentsPerChunk: Int? = nil) -> WorkOrder {
        var step = self
        (step.kind, step.chunk, step.segmentsPerChunk) = (kind, chunk, segmentsPerChunk)
        return step
    }

    var json: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }

    /// Reads an order from the queue; a name that could leave the asset's folder is refused.
    init(json: String) throws(TranscodeError) {
        guard let order = try? JSONDecoder().decode(WorkOrder.self, from: Data(json.utf8)) else {
            throw TranscodeError(.unsupported, "the work order is not one this worker understands (a newer strata queued it?)")
        }
        let names = [order.assetID] + order.sidecars.map(\.fileName)
        guard order.packageVersion > 0, (order.chunk ?? 0) >= 0, (order.segmentsPerChunk ?? 1) >= 1 else {
            throw TranscodeError(.unsupported, "the work order has a package version, chunk or chunk size out of range")
        }
        guard names.allSatisfy(WorkOrder.isPlainName) else {
            throw TranscodeError(.unsupported, "the work order names a file outside its asset's folder")
        }
        self = order
    }

    /// A file or folder name: not empty, no separator, not `.` or `..`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\0") && name != "." && name != ".."
    }
}

/// A unit's failure as the queue stores it (`code: message`), so the API server reports the worker's error code.
extension TranscodeError {
    var queueReason: String { "\(code.rawValue): \(message)" }

    init(queueReason reason: String) {
        if let colon = reason.range(of: ": "), let code = Code(rawValue: String(reason[..<colon.lowerBound])) {
            self.init(code, String(reason[colon.upperBound...]))
        } else {
            self.init(.encoding, reason)
        }
    }
}

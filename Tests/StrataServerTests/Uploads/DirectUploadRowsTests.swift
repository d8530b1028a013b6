import Foundation
@testable import StrataServer
import Testing
import TestSupport

/// Direct-upload URLs' rows in SQLite and in PostgreSQL: one URL starts one upload, whichever servers get the POST.
@Suite("direct upload rows (SQLite and PostgreSQL)", .serialized)
struct DirectUploadRowsTests {
    func record(expiresIn seconds: Double) -> DirectUploadRecord {
        let now = Date()
        return DirectUploadRecord(id: TusUploadID.make(), profileName: "mobile", title: "From the browser", corsOrigin: "https://app.example",
                                  expiresAt: now.addingTimeInterval(seconds), uploadID: nil, createdAt: now, audioLanguages: "en")
    }

    @Test("a URL is read back by another server; of POSTs racing on two servers exactly one claims it; an expired URL claims nothing",
          arguments: RowsBackend.allCases)
    func claimedOnce(_ backend: RowsBackend) async throws {
        try await SharedRowsDatabase.with(backend) { shared in
            let direct = record(expiresIn: 3600)
            try await shared.servers[0].direct.insert(direct)
            let read = try #require(try await shared.servers[1].direct.directUpload(direct.id))
            #expect(read.profileName == "mobile" && read.title == "From the browser" && read.corsOrigin == "https://app.example")
            #expect(read.uploadID == nil && read.audioLanguageList == ["en"] && abs(read.expiresAt.timeIntervalSince(direct.expiresAt)) < 0.001)
            #expect(try await shared.servers[1].direct.directUpload(TusUploadID.make()) == nil)

            let uploads = (0..<12).map { _ in TusUploadID.make() }
            let claimed = try await withThrowingTaskGroup(of: String?.self) { group in
                for (index, upload) in uploads.enumerated() {
                    let rows = shared.servers[index % 2].direct
                    group.addTask { try await rows.claim(direct.id, upload: upload) ? upload : nil }
                }
                return try await group.reduce(into: [String]()) { if let upload = $1 { $0.append(upload) } }
            }
            #expect(claimed.count == 1)
            #expect(try await shared.servers[0].direct.directUpload(direct.id)?.uploadID == claimed.first)
            #expect(try await shared.servers[1].direct.claim(direct.id, upload: TusUploadID.make()) == false, "used once, used for good")

            let expired = record(expiresIn: -1)
            try await shared.servers[0].direct.insert(expired)
            #expect(try await shared.servers[1].direct.claim(expired.id, upload: TusUploadID.make()) == false)
            #expect(try await shared.servers[0].direct.directUpload(expired.id)?.uploadID == nil)
        }
    }
}

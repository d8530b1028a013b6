import Foundation
@testable import StrataServer
import Testing
import TestSupport

/// Which packages players get, in-process: published and playable, growing or complete; never failed ones.
@Suite("Published packages")
struct PublishedPackagesTests {
    func asset(_ status: AssetStatus, published: Bool = true, version: Int = 1, playable seconds: Double = 0) -> AssetRecord {
        AssetRecord(id: "a1", title: nil, profileName: "default", profileJSON: "{}", status: status, progress: 0, errorCode: nil,
                    errorMessage: nil, published: published, packageVersion: version, masterSize: 1, factsJSON: nil,
                    createdAt: Date(), updatedAt: Date(), playableSeconds: seconds)
    }

    @Test("a processing asset is served, briefly cached, once segments are listed; a failed or unpublished one is not")
    func visibility() throws {
        let files = try AssetFiles(root: try makeTemporaryDirectory("published"))
        defer { try? FileManager.default.removeItem(at: files.root) }
        let packages = PublishedPackages()

        packages.refresh(asset(.processing, version: 0), files: files)
        #expect(packages.folder(for: "a1") == nil, "nothing listed yet")
        packages.refresh(asset(.processing, playable: 4), files: files)
        #expect(packages.folder(for: "a1") != nil)
        #expect(packages.isGrowing("a1"))
        packages.refresh(asset(.queued, playable: 4), files: files)
        #expect(packages.folder(for: "a1") != nil, "queued again after a restart: still served")
        packages.refresh(asset(.processing, published: false, playable: 4), files: files)
        #expect(packages.folder(for: "a1") == nil, "unpublished stays hidden")
        packages.refresh(asset(.failed, playable: 4), files: files)
        #expect(packages.folder(for: "a1") == nil, "a job that failed after being playable is no longer served")
        #expect(!packages.isGrowing("a1"))
        packages.refresh(asset(.ready, playable: 4), files: files)
        #expect(packages.folder(for: "a1") != nil)
        #expect(!packages.isGrowing("a1"), "a complete package's manifests are cached as usual")
    }
}

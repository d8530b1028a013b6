// fuzz-sources: Sources/StrataServer/Playback/PackagePath.swift
// The package-path resolver: the part of a request path after /stream/{id}/ becomes a file in the package.
// Invariant: whatever the path, a resolved file is a regular, served file whose real path (realpath(3), not
// Foundation) lies inside the package; the package holds symbolic links that lead out, which must be refused.
import Foundation

/// A package folder with segments, a facts file, a hidden folder, and links out of it; made once per process.
let fuzzPackage: (root: URL, outside: URL) = {
    let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("strata-fuzz-package-\(getpid())")
    let root = base.appendingPathComponent("package"), outside = base.appendingPathComponent("package-outside")
    let files = ["master.m3u8", "manifest.mpd", "package.json", "video/720p/init.mp4", "video/720p/seg-1.m4s",
                 "audio/en/seg-1.m4s", "subtitles/en/all.vtt", ".hidden/x.m3u8", "video/720p/a b%.m4s"]
    let fileManager = FileManager.default
    for file in files {
        let url = root.appendingPathComponent(file)
        try! fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = fileManager.createFile(atPath: url.path, contents: Data("x".utf8))
    }
    try! fileManager.createDirectory(at: outside, withIntermediateDirectories: true)
    _ = fileManager.createFile(atPath: outside.appendingPathComponent("secret.m3u8").path, contents: Data("secret".utf8))
    try? fileManager.createSymbolicLink(atPath: root.appendingPathComponent("out.m3u8").path, withDestinationPath: "../package-outside/secret.m3u8")
    try? fileManager.createSymbolicLink(atPath: root.appendingPathComponent("video/away").path, withDestinationPath: outside.path)
    try? fileManager.createSymbolicLink(atPath: root.appendingPathComponent("video/same.m4s").path, withDestinationPath: "720p/seg-1.m4s")
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "strata-fuzz-package-\(getpid())") }
    return (root.resolvingSymlinksInPath(), outside)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func packagePathFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    let root = fuzzPackage.root.path
    guard case .success(let file) = PackagePath.resolve(segments, in: fuzzPackage.root) else { return 0 }
    guard let real = realpath(file.path, nil) else { preconditionFailure("resolved \(path.debugDescription) to a missing file \(file.path)") }
    let realPath = String(cString: real)
    free(real)
    precondition(realPath.hasPrefix(root + "/"), "\(path.debugDescription) left the package: \(realPath)")
    var status = stat()
    precondition(stat(realPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG, "\(realPath) is not a regular file")
    let name = (realPath as NSString).lastPathComponent
    precondition(PackagePath.servedExtensions.contains((name as NSString).pathExtension.lowercased()), "served \(name)")
    precondition(!realPath.dropFirst(root.count).contains("/."), "served a hidden file \(realPath)")
    return 0
}

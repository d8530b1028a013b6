// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C bridge: FFmpeg's headers found through pkg-config, plus a shim for macros.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libswresample-dev", "libavutil-dev"])]
        ),
        // The one Swift layer that owns FFmpeg objects and turns return codes into errors.
        .target(name: "FFmpegBridge", dependencies: ["CFFmpeg"]),
        // Encoding profiles: model, strict YAML/JSON loading, validation.
        .target(name: "StrataProfiles", dependencies: ["StrataManifest", .product(name: "Yams", package: "Yams")]),
        // HLS and DASH manifests as values rendered from measured package facts.
        .target(name: "StrataManifest"),
        // probe → decode → scale/resample → encode → package (CMAF) → describe → store.
        .target(
            name: "StrataMedia",
            dependencies: [
                "FFmpegBridge", "StrataProfiles", "StrataManifest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command-line tool.
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataMedia", "StrataProfiles", "StrataManifest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FFmpegBridgeTests", dependencies: ["FFmpegBridge", "TestSupport"]),
        .testTarget(name: "StrataProfilesTests", dependencies: ["StrataProfiles"]),
        .testTarget(name: "StrataManifestTests", dependencies: ["StrataManifest"], resources: [.copy("Golden")]),
        .testTarget(name: "StrataMediaTests", dependencies: ["StrataMedia", "TestSupport"]),
        .testTarget(name: "StrataCLITests", dependencies: ["strata", "TestSupport"]),
        // Shared test helpers: generating masters with ffmpeg, running tools, a loopback HTTP server.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)

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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // The C bridge: FFmpeg's headers found through pkg-config, plus a shim for macros.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavfilter-dev", "libswscale-dev", "libswresample-dev", "libavutil-dev"])]
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
        // The HTTP front: uploads, durable jobs, selective publish, serving packages to players.
        .target(
            name: "StrataServer",
            dependencies: [
                "StrataMedia", "StrataProfiles", "StrataManifest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // The player page: Mustache templates, its own CSS and JavaScript.
            resources: [.copy("Viewer/Resources")]
        ),
        // The command-line tool.
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataMedia", "StrataProfiles", "StrataManifest", "StrataServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FFmpegBridgeTests", dependencies: ["FFmpegBridge", "TestSupport"]),
        .testTarget(name: "StrataProfilesTests", dependencies: ["StrataProfiles", "StrataManifest"]),
        .testTarget(name: "StrataManifestTests", dependencies: ["StrataManifest"], resources: [.copy("Golden")]),
        .testTarget(name: "StrataMediaTests", dependencies: ["StrataMedia", "TestSupport"]),
        .testTarget(name: "StrataCLITests", dependencies: ["strata", "TestSupport"]),
        .testTarget(name: "StrataServerTests", dependencies: [
            "StrataServer", "strata", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // Shared test helpers: generating masters with ffmpeg, running tools, a loopback HTTP server.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)

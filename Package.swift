// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Sluice",
    products: [
        .library(name: "SluiceVM", targets: ["SluiceVM"]),
        .library(name: "SluiceCompiler", targets: ["SluiceCompiler"]),
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "SluiceVM", path: "Sources/VM"),
        .target(name: "SluiceCompiler", dependencies: ["SluiceVM"], path: "Sources/Compiler",
                exclude: ["Parser/NOTES-AST.md"]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // Only the command-line tool links jemalloc; the library targets keep the host's allocator.
        .systemLibrary(
            name: "CJemalloc", path: "Sources/CJemalloc", pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]),
        .target(
            name: "SluiceHost",
            dependencies: [
                "SluiceVM", "SluiceCompiler", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Host"),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceHost",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Server"),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceVM", "SluiceCompiler", "SluiceHost", "SluiceServer", "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/sluice"),
        .testTarget(name: "CompilerTests", dependencies: ["SluiceCompiler"], path: "Tests/CompilerTests"),
        .testTarget(name: "VMTests", dependencies: ["SluiceVM", "SluiceCompiler"], path: "Tests/VMTests"),
        .testTarget(name: "HostTests", dependencies: ["SluiceHost"], path: "Tests/HostTests"),
        .testTarget(name: "ServerTests", dependencies: [
            "SluiceServer", "SluiceHost",
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ], path: "Tests/ServerTests"),
        .testTarget(name: "EndToEndTests", dependencies: [
            "SluiceServer", "SluiceHost", "sluice",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/EndToEndTests"),
        .testTarget(name: "ConformanceTests", dependencies: ["SluiceVM", "SluiceCompiler"], path: "Tests/ConformanceTests",
                    exclude: ["update-expected.sh"], resources: [.copy("Corpus")]),
    ]
)

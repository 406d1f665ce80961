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
    ],
    targets: [
        .target(name: "SluiceVM", path: "Sources/VM"),
        .target(name: "SluiceCompiler", dependencies: ["SluiceVM"], path: "Sources/Compiler"),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceVM", "SluiceCompiler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/sluice"),
        .testTarget(name: "CompilerTests", dependencies: ["SluiceCompiler"], path: "Tests/CompilerTests"),
        .testTarget(name: "VMTests", dependencies: ["SluiceVM", "SluiceCompiler"], path: "Tests/VMTests"),
        .testTarget(name: "ConformanceTests", dependencies: ["SluiceVM", "SluiceCompiler"], path: "Tests/ConformanceTests",
                    exclude: ["update-expected.sh"], resources: [.copy("Corpus")]),
    ]
)

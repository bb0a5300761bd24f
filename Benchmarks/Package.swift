// swift-tools-version:6.2
// Skiff's micro-benchmarks of the hot paths (record batches, CRC-32C, the offset index, partition
// appends and reads, the admin frame codec, the terminal UI's render) on ordo-one's
// package-benchmark. A separate package so that building Skiff itself never resolves or builds
// package-benchmark. Run with scripts/microbench; see docs/microbenchmarks.md.
import PackageDescription

let package = Package(
    name: "SkiffBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "skiff", path: ".."),
        // Only the malloc interposer trait: it gives the malloc counters without jemalloc. The
        // default traits also enable the runtime interposer, a further package that is not needed
        // for wall-clock and throughput figures.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SkiffMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BrokerCore", package: "skiff"),
                .product(name: "AdminProtocol", package: "skiff"),
                .product(name: "TerminalUI", package: "skiff"),
                .product(name: "SkiffText", package: "skiff"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SkiffMicro",
            swiftSettings: [.treatAllWarnings(as: .error)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)

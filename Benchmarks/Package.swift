// swift-tools-version:6.1
// Benchmarks for HedgeBus, kept out of the main package so its build and CI never compile
// ordo-one/benchmark. Run them with `scripts/bench` (or `swift package benchmark` in here).
import PackageDescription

let package = Package(
    name: "HedgeBusBenchmarks",
    dependencies: [
        // The main package by path. `name:` lets targets say package: "HedgeBus" whatever the
        // clone's directory is called (a path package's identity is its directory name).
        .package(name: "HedgeBus", path: ".."),
        // Only the MallocInterposer trait: the default traits also enable RuntimeInterposer,
        // which on Linux with Swift 6.3 pulls in ordo-one/swift-runtime-interposer, a package
        // this machine's package mirror does not have.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Figures of the HedgeBus messaging layer that scripts/bench-pipeline compares with raw
        // libzmq: envelope codec, one req/rep hop, bus throughput. A plain executable (no plugin).
        .executableTarget(
            name: "PipelineProbes",
            dependencies: [
                .product(name: "Messaging", package: "HedgeBus"),
                .product(name: "WireFormat", package: "HedgeBus"),
                .product(name: "WireProtocol", package: "HedgeBus"),
                .product(name: "Ledger", package: "HedgeBus"),
                .product(name: "Trading", package: "HedgeBus"),
                .product(name: "Agents", package: "HedgeBus"),
                .product(name: "Tracing", package: "HedgeBus"),
                .product(name: "AgentRuntime", package: "HedgeBus"),
                .product(name: "Configuration", package: "HedgeBus"),
            ],
            path: "Benchmarks/PipelineProbes"
        ),
        // The benchmark plugin expects each suite in Benchmarks/<Name>/.
        .executableTarget(
            name: "VenueBenchmarks",
            dependencies: [
                .product(name: "Trading", package: "HedgeBus"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/VenueBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)

// HedgeBus's release builds compile its modules against the static Swift runtime and link its
// executables with it (see its Package.swift); the benchmarks link the same way, so they run
// the code as the agents do.
let staticRuntime = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
for target in package.targets where target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRuntime)]
    target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRuntime)]
}

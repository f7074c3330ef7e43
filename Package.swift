// swift-tools-version:6.1
import PackageDescription

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")

/// An agent executable: thin wiring over AgentRuntime.
func agent(_ name: String, extra: [Target.Dependency] = []) -> Target {
    .executableTarget(name: name, dependencies: ["Agents", "AgentRuntime", "Configuration", "Instrumentation", "Messaging", "WireFormat", "WireProtocol", "Trading", logging, lifecycle, argumentParser, metrics] + extra)
}

let package = Package(
    name: "HedgeBus",
    products: [
        .executable(name: "bus", targets: ["Bus"]),
        .executable(name: "trading-director", targets: ["TradingDirector"]),
        .executable(name: "quant-analyst", targets: ["QuantAnalyst"]),
        .executable(name: "risk-manager", targets: ["RiskManager"]),
        .executable(name: "execution-agent", targets: ["ExecutionAgent"]),
        .executable(name: "market-maker", targets: ["MarketMaker"]),
        .executable(name: "all-agents", targets: ["AllAgents"]),
        .executable(name: "hedgectl", targets: ["HedgeCtl"]),
        .library(name: "Trading", targets: ["Trading"]),
        .library(name: "WireFormat", targets: ["WireFormat"]),
        .library(name: "WireProtocol", targets: ["WireProtocol"]),
        .library(name: "Messaging", targets: ["Messaging"]),
        .library(name: "Configuration", targets: ["Configuration"]),
        .library(name: "Agents", targets: ["Agents"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "Tracing", targets: ["Tracing"]),
        .library(name: "AgentRuntime", targets: ["AgentRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .target(name: "DecimalText"),
        // DWARF 4: valgrind (the profiles in docs/PERFORMANCE.md) cannot read clang's default DWARF 5.
        .target(name: "CSQLiteSettings", cSettings: [.unsafeFlags(["-gdwarf-4"])], linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "Trading", dependencies: ["DecimalText"]),
        .target(name: "Configuration", dependencies: ["Trading"]),
        .target(name: "Ledger", dependencies: ["Trading", "Instrumentation", "CSQLiteSettings", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(name: "WireFormat", dependencies: ["DecimalText"]),
        .target(name: "WireProtocol", dependencies: ["WireFormat", "Trading"]),
        .target(name: "Instrumentation", dependencies: [metrics]),
        .target(name: "WorkQueues"),
        .target(name: "CProcessID", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "Messaging", dependencies: ["CZeroMQ", "CProcessID", "WireFormat", "Instrumentation", "WorkQueues", logging, metrics]),
        .target(name: "Tracing", dependencies: ["WireFormat", "WireProtocol"]),
        .target(name: "Reporting", dependencies: ["Tracing", "Trading", "WireFormat", "WireProtocol"]),
        .target(name: "Agents", dependencies: ["Configuration", "WireFormat", "WireProtocol", "Trading", "Ledger", "Instrumentation", "WorkQueues", logging, lifecycle, metrics]),
        .target(name: "AgentRuntime", dependencies: ["Agents", "CZeroMQ", "Configuration", "Instrumentation", "Ledger", "Messaging", "Tracing", "WireFormat", "WireProtocol", "Trading", logging, lifecycle, argumentParser, metrics, prometheus]),
        agent("Bus"),
        agent("TradingDirector", extra: ["Ledger"]),
        agent("QuantAnalyst"),
        agent("RiskManager"),
        agent("ExecutionAgent"),
        agent("MarketMaker", extra: ["Ledger"]),
        agent("AllAgents"),
        .executableTarget(name: "HedgeCtl", dependencies: ["AgentRuntime", "Configuration", "Messaging", "WireFormat", "WireProtocol", "Trading", "Tracing", "Reporting", "Ledger",
                                                        argumentParser]),
        .target(name: "HedgeBusTesting", dependencies: ["AgentRuntime", "Configuration", "Messaging", "WireFormat", "WireProtocol"], path: "Tests/HedgeBusTesting"),
        .target(name: "VenueTesting", dependencies: ["Trading"], path: "Tests/VenueTesting"),
        .target(name: "AgentsTesting", dependencies: ["Agents", "WireFormat", "WireProtocol"], path: "Tests/AgentsTesting"),
        .testTarget(name: "AgentsTests", dependencies: ["Agents", "AgentsTesting", "Configuration", "Trading", "WireFormat", "WireProtocol", "Ledger", "VenueTesting",
                                                        logging, lifecycle, .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                                                        .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TradingTests", dependencies: ["Trading", "VenueTesting"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Trading", "VenueTesting", "CSQLiteSettings", "Instrumentation",
                                                        .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .testTarget(name: "TracingTests", dependencies: ["Tracing", "WireFormat", "WireProtocol", "Trading"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Tracing", "WireFormat", "WireProtocol", "HedgeBusTesting"]),
        .testTarget(name: "WireProtocolTests", dependencies: ["WireFormat", "WireProtocol", "Trading"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "Trading"]),
        .testTarget(name: "WorkQueuesTests", dependencies: ["WorkQueues"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "CProcessID", "Instrumentation", "WireFormat", "WireProtocol", "HedgeBusTesting", metrics]),
        .testTarget(name: "IntegrationTests", dependencies: ["Messaging", "WireFormat", "WireProtocol", "AgentRuntime", "Configuration", "Trading", "Ledger", "HedgeBusTesting"],
                    exclude: ["Interop", "Fixtures"]),
    ]
)

// Release builds of the executables carry the Swift runtime and Foundation inside them: a
// binary needs only the system's libraries (libzmq, SQLite) at run time, and its calls into the
// runtime skip the dynamic linker's indirection (docs/PERFORMANCE.md, change 94). The code they
// link is compiled against the static runtime's modules to match. Debug builds, which the tests
// run, and the test-support targets (`…Testing`; VenueTesting imports Testing, which the static
// runtime does not have) stay dynamic.
let staticRuntime = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
for target in package.targets where target.type != .test && target.type != .system && !target.name.hasSuffix("Testing") {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRuntime)]
    if target.type == .executable {
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-static-stdlib"], staticRuntime)]
    }
}

// A nonisolated async function runs on its caller's executor (SE-0461), as it will by default
// in a later language mode: called on an agent's loop thread, it no longer switches executors
// on entry and return, each switch a look-up of the task's preferred executor under its status
// lock (docs/PERFORMANCE.md, change 111). Not for the test targets: Swift Testing's macros do
// not compile with it yet.
for target in package.targets where target.type != .test && target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
}

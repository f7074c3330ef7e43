import ArgumentParser
import Configuration
import Foundation
import Logging
import Messaging
import Metrics
import Prometheus

/// Options every agent executable takes.
public struct AgentOptions: ParsableArguments {
    @Option(name: .long, help: "Topology file (JSON) naming the bus and agent endpoints and their settings.")
    public var topology: String = "topology/default.json"

    @Option(name: .long, help: "Log level (trace, debug, info, notice, warning, error, critical). Overrides the topology's log_level and HEDGEBUS_LOG_LEVEL.")
    public var logLevel: String?

    public init() {}

    /// Loads the topology, turning a bad file into a validation error that names it.
    public func loadTopology() throws -> Topology {
        do { return try Topology.load(path: topology) } catch { throw ValidationError(error.description) }
    }

    /// The level to log at: the flag, else `HEDGEBUS_LOG_LEVEL`, else the topology's.
    public func level(for topology: Topology) -> Logger.Level {
        let text = logLevel ?? ProcessInfo.processInfo.environment["HEDGEBUS_LOG_LEVEL"] ?? topology.logLevel
        return Logger.Level(rawValue: text.lowercased()) ?? .info
    }

    /// Start-up common to every executable: loads the topology, sets up logging at the chosen
    /// level and metrics (a Prometheus registry), puts the process on the CPUs the topology
    /// names for `process` (`CPUAffinity`), has its libzmq contexts schedule their I/O threads
    /// as `io_thread_policy` says and its own threads as `thread_policy` says
    /// (`ThreadScheduling`), and returns the topology with a logger labelled `name`.
    public func start(as name: String, process: TopologyProcess) throws -> (Topology, Logger) {
        // Ledgers, analytics, logs: whatever an agent creates is its owner's alone.
        umask(0o077)
        let topology = try loadTopology()
        AgentLogging.bootstrap(level: level(for: topology))
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: AgentMetrics.registry))
        let logger = Logger(label: name)
        do {
            try ThreadScheduling.start(threads: topology.threadPolicy, ioThreads: topology.ioThreadPolicy, name: name, logger: logger)
        } catch {
            logger.warning("\(name) keeps its threads under the normal policy: \(error.description)")
        }
        if let (cpus, key) = topology.cpus(of: process) {
            do {
                let moved = try CPUAffinity.pin(to: cpus, key: key)
                logger.info("\(name) runs on CPUs \(cpus) (\(key)); \(moved) thread(s) moved")
            } catch {
                throw ValidationError("topology file '\(self.topology)': \(error.description)")
            }
        }
        if ProcessInfo.processInfo.environment["HEDGEBUS_EXIT_WITH_PARENT"] == "1" { Self.exitWithParent(logger) }
        return (topology, logger)
    }

    /// With `HEDGEBUS_EXIT_WITH_PARENT=1` (set by the test harness) the process exits once the
    /// process that started it is gone, so a test run that is killed outright leaves no
    /// agents behind. An orphan is re-parented, which changes `getppid()`.
    private static func exitWithParent(_ logger: Logger) {
        let parent = getppid()
        let watch = Thread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            logger.warning("the process that started this one (pid \(parent)) is gone; exiting")
            Foundation.exit(3)
        }
        watch.start()
    }
}

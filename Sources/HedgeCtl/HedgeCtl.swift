import ArgumentParser
import Foundation

/// `hedgectl`: drive and observe a running HedgeBus topology.
@main
struct HedgeCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hedgectl",
        abstract: "Drive and observe a running HedgeBus topology.",
        discussion: "Every command reads the bus and agent endpoints from the topology file (--topology, default topology/default.json).",
        subcommands: [InjectCommand.self, KeysCommand.self, TraceCommand.self, InventoryCommand.self, PositionsCommand.self, AnalyzeCommand.self, StatusCommand.self, MetricsCommand.self, ReportCommand.self, LedgerCommand.self,
                      TopologyCommand.self])

    /// Everything hedgectl writes (recordings, reports, keys) is its owner's only, as `run/` is.
    static func main() async {
        umask(0o077)
        await main(nil)
    }
}

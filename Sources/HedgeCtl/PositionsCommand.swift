import ArgumentParser
import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// `hedgectl positions`: the positions the TradingDirector opened and the exits still armed.
struct PositionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "positions",
        abstract: "Ask the TradingDirector for the positions it is watching: what is left, the stop, the targets, the time stop.",
        discussion: "With --until-flat SECONDS it keeps asking until no position is open (exit 0) or the time is up (exit 1).")

    @OptionGroup var options: CtlOptions
    @Option(help: "Only this symbol.") var symbol: String?
    @Option(help: "Wait up to this many seconds for every position to be closed, then print what is left.")
    var untilFlat: Double?
    @Flag(help: "Print the positions as JSON.") var json = false

    func validate() throws {
        if let untilFlat, !(untilFlat.isFinite && untilFlat >= 0) { throw ValidationError("--until-flat takes seconds ≥ 0") }
    }

    func run() async throws {
        let topology = try options.loadTopology()
        let policy = RequestPolicy(attemptTimeout: options.timeoutDuration, attempts: 1)
        let deadline = ContinuousClock.now + .milliseconds(Int((untilFlat ?? 0) * 1_000))
        let report = try await withMessageLoop { loop in
            let client = try await RequestClient.connect(loop: loop, peer: AgentName.tradingDirector.rawValue,
                                                         endpoint: try topology.endpoint(of: .tradingDirector).endpoint,
                                                         source: "hedgectl", policy: policy,
                                                         curve: try options.curve(to: AgentName.tradingDirector.rawValue, on: topology))
            do {
                while true {
                    let report = try await client.request(OpenPositionsQuery(symbol: symbol), trace: .root()).payload
                    guard untilFlat != nil, !report.positions.isEmpty, ContinuousClock.now < deadline else { return report }
                    try await Task.sleep(for: .milliseconds(250))
                }
            } catch let error as ProtocolError {
                throw CtlFailure("positions: \(error.message)")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else if report.positions.isEmpty {
            print("no open positions")
        } else {
            let f = { (value: Double, digits: Int) in String(format: "%.\(digits)f", value) }
            let now = WallClock.micros()
            printTable(["SYMBOL", "SIDE", "LEFT", "ENTRY", "STOP", "TARGETS (✓ taken)", "AGE", "TIME STOP IN", "OPENED IN TRACE"],
                       report.positions.map { row in
                           [row.symbol, row.side == .buy ? "long" : "short", row.remainingQty.description, row.entryPrice.description,
                            row.stopPrice.description, row.targets.map { $0.price.description + ($0.hit ? "✓" : "") }.joined(separator: " "),
                            f(Double(now - row.openedAtUs) / 1e6, 1) + "s",
                            row.timeStopAtUs.map { f(max(0, Double($0 - now) / 1e6), 1) + "s" } ?? "-",
                            String(row.openingTraceId.prefix(8))]
                       })
        }
        if untilFlat != nil, !report.positions.isEmpty { throw ExitCode(1) }
    }
}

import ArgumentParser
import Configuration
import Foundation
import Messaging
import Trading
import WireFormat
import WireProtocol

/// `hedgectl analyze`: what the QuantAnalyst makes of the market right now.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Ask the QuantAnalyst for its reading of one or more symbols: direction, confidence, indicators, thesis.",
        discussion: """
            With --until-ready SECONDS it keeps asking until every indicator, the ATR included, has enough \
            ticks (exit 0), or the time is up (exit 1): the RiskManager places ATR stops only once the ATR exists.
            """)

    @OptionGroup var options: CtlOptions
    @Argument(help: "Symbols to analyse.") var symbols: [String]
    @Option(help: "The side a signal would take, sent with the request (the QuantAnalyst's reading does not depend on it).") var side: Side = .buy
    @Option(help: "Wait up to this many seconds until the analysis has an ATR for every symbol.") var untilReady: Double?
    @Flag(help: "Print the reports as JSON.") var json = false

    func validate() throws {
        guard !symbols.isEmpty else { throw ValidationError("name at least one symbol") }
        if let untilReady, !(untilReady.isFinite && untilReady >= 0) { throw ValidationError("--until-ready takes seconds ≥ 0") }
    }

    func run() async throws {
        let topology = try options.loadTopology()
        let policy = RequestPolicy(attemptTimeout: options.timeoutDuration, attempts: 1)
        let deadline = ContinuousClock.now + .milliseconds(Int((untilReady ?? 0) * 1_000))
        let (symbols, side, waiting) = (self.symbols, self.side, untilReady != nil)
        let reports = try await withMessageLoop { loop in
            let client = try await RequestClient.connect(loop: loop, peer: AgentName.quantAnalyst.rawValue,
                                                         endpoint: try topology.endpoint(of: .quantAnalyst).endpoint,
                                                         source: "hedgectl", policy: policy,
                                                         curve: try options.curve(to: AgentName.quantAnalyst.rawValue, on: topology))
            do {
                while true {
                    var reports: [AnalysisReport] = []
                    for symbol in symbols {
                        reports.append(try await client.request(AnalyzeRequest(symbol: symbol, side: side), trace: .root()).payload)
                    }
                    guard waiting, reports.contains(where: { $0.atr == nil }), ContinuousClock.now < deadline else { return reports }
                    try await Task.sleep(for: .milliseconds(250))
                }
            } catch let error as ProtocolError {
                throw CtlFailure("analyze: \(error.message)")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            for report in reports {
                print("\(report.symbol): \(report.direction.rawValue) confidence \(NumberText.fixed(report.confidence, 2)) "
                      + "after \(report.sampleCount) ticks, ATR \(report.atr.map(NumberText.price) ?? "not yet") — \(report.thesis)")
            }
        }
        if waiting, reports.contains(where: { $0.atr == nil }) { throw ExitCode(1) }
    }
}

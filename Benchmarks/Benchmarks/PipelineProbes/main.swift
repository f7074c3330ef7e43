import Configuration
import Foundation
import Messaging
import Synchronization
import WireFormat
import WireProtocol

// hedgebus pipeline probes: measurements of HedgeBus's own messaging code, printed as JSON lines
// `{"name": …, "value": …, "unit": …, "baseline": …}` for scripts/bench-pipeline to put beside
// its raw baselines (a baseline is a row name of the same run, or a target number).
//
//   PipelineProbes codec  [--count N] [--fresh | --account-event | --replies | --forward | --requests]
//                                       envelope encode + decode of typical messages, µs per message;
//                                       --forward: an order report read and sent on as an execute.ok;
//                                       --requests: the cycle's four requests opened and read, as servers do
//   PipelineProbes hop    [--count N] [--busy-poll-us N] [--handler immediate|task]
//                                       one req/rep round trip through RequestClient/RequestServer
//                                       (order.submit and a prepared reply, tcp loopback, two
//                                       message loops), µs; --busy-poll-us gives both loops that
//                                       busy_poll_us (default: the agents' default, which
//                                       `busy-poll-default` prints; scripts/bench-pipeline passes
//                                       its own --busy-poll-us on); the reply made by a handler
//                                       that answers at once, then by one the server starts in a
//                                       task, or only the one --handler names
//   PipelineProbes busy-poll-default    prints the agents' default busy_poll_us (a number, not JSON)
//   PipelineProbes handover [--count N] the same order and reply between a client and a server on one
//                                       loop, handed over as a value as between the agents of
//                                       all-agents, µs
//   PipelineProbes pubsub [--count N]   messages/s through HedgeBus's bus (BusProxy) from a
//                                       BusPublisher to a BusSubscriber, 200-byte envelopes
//   PipelineProbes journal [--count N] [--prefill N] [--remembered N]
//                                       the TradingDirector's journal: a filled signal's two commits
//                                       (synchronous = NORMAL), µs each, WAL frames and writes per signal,
//                                       on a store of --prefill decided signals (20,000) remembering
//                                       --remembered (100,000; fewer than --prefill: a desk run past them)
//   PipelineProbes ledger [--count N] [--checkpoints-inside]
//                                       the MarketMaker's ledger: one fill batch per commit
//                                       (synchronous = FULL), µs (median, p99, max), WAL frames
//                                       and writes per batch; the log is checkpointed between
//                                       batches as the writer does, or with
//                                       --checkpoints-inside by the commit that passes 1,000 log
//                                       pages (SQLite's own rule, the ledger's before change 44)
//   PipelineProbes director [--count N] the TradingDirector's own work per filled signal without the
//                                       wire (peers answering in-process, its journal and analytics), µs
//   PipelineProbes analyst [--count N]  the QuantAnalyst's own work per request without the wire (an analyze,
//                                       one in 16 after a new price), µs
//   PipelineProbes risk [--count N] [--held]
//                                       the RiskManager's own work per request without the wire (an account
//                                       event, then an assess reading the account from it), µs; --held
//                                       has the account hold every symbol, as the bench's does once it
//                                       has traded them
//   PipelineProbes venue [--count N] [--accounts N] [--follow-ups]
//                                       the MarketMaker's own work per market order without the wire or
//                                       the ledger (submit, fill, its symbol's inventory event), µs;
//                                       --accounts adds idle spot accounts to the bench's one;
//                                       --follow-ups has the follow-up service publish the inventory
//                                       event, and the account event, as in the MarketMaker
//   PipelineProbes otlp [--count N]     the OTLP span push's work per batch (spans of a filled cycle's
//                                       published envelopes and their OTLP/JSON body), µs per span
//
//   director, analyst, risk and venue take --logs: their agent logs through the agents' own
//   handler at info (to standard error) instead of a silent logger, so the log lines are counted.

let arguments = CommandLine.arguments.dropFirst()
guard let probe = arguments.first else {
    FileHandle.standardError.write(Data("usage: PipelineProbes codec|hop|handover|pubsub|journal|ledger|director|analyst|risk|venue|otlp [--count N]\n".utf8))
    exit(2)
}
/// The whole number after `flag`, if given.
func option(_ flag: String) -> Int? {
    arguments.firstIndex(of: flag).flatMap { index in
        arguments.index(after: index) < arguments.endIndex ? Int(arguments[arguments.index(after: index)]) : nil
    }
}
let count = option("--count")

func emit(_ name: String, _ value: Double, _ unit: String, baseline: String? = nil, note: String? = nil) {
    var line = "{\"name\": \"\(name)\", \"value\": \(String(format: "%.3f", value)), \"unit\": \"\(unit)\""
    if let baseline { line += ", \"baseline\": \(Double(baseline) != nil ? baseline : "\"\(baseline)\"")" }
    if let note { line += ", \"note\": \"\(note)\"" }
    line += "}\n"
    FileHandle.standardOutput.write(Data(line.utf8))
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Runs an async probe to its end from this synchronous main, which waits on a semaphore. An
/// async main parks the main thread in libdispatch's `sigsuspend`, where valgrind 3.19 crashes
/// as soon as another thread starts; this way the hop probe can be counted with callgrind.
func runToEnd(_ body: @escaping @Sendable () async throws -> Void) {
    let done = DispatchSemaphore(value: 0)
    let failure = Mutex<(any Error)?>(nil)
    Task {
        do { try await body() } catch { failure.withLock { $0 = error } }
        done.signal()
    }
    done.wait()
    if let error = failure.withLock({ $0 }) {
        FileHandle.standardError.write(Data("PipelineProbes: \(error)\n".utf8))
        exit(1)
    }
}

switch probe {
case "codec": CodecProbe.run(count: count ?? 200_000)
case "hop":
    let busyPoll = Duration.microseconds(option("--busy-poll-us") ?? Topology.defaultBusyPollUs)
    let handler = arguments.firstIndex(of: "--handler").map { arguments.index(after: $0) }.flatMap { arguments.indices.contains($0) ? arguments[$0] : nil }
    guard handler == nil || handler == "immediate" || handler == "task" else {
        FileHandle.standardError.write(Data("PipelineProbes: --handler takes immediate or task\n".utf8))
        exit(2)
    }
    runToEnd { try await HopProbe.run(count: count ?? 20_000, busyPoll: busyPoll, only: handler.map { $0 == "task" }) }
case "busy-poll-default": print(Topology.defaultBusyPollUs)
case "handover": runToEnd { try await HandOverProbe.run(count: count ?? 20_000) }
case "pubsub": runToEnd { try await PubSubProbe.run(count: count ?? 500_000) }
case "journal": JournalProbe.run(count: count ?? 5_000, prefill: option("--prefill") ?? 20_000, remembered: option("--remembered") ?? 100_000)
case "ledger": LedgerProbe.run(count: count ?? 1_000, prefill: 20_000, checkpointsInside: arguments.contains("--checkpoints-inside"))
case "director": runToEnd { try await DirectorProbe.run(count: count ?? 2_000) }
case "analyst": AgentLogicProbe.runAnalyst(count: count ?? 20_000)
case "risk": runToEnd { await AgentLogicProbe.runRisk(count: count ?? 20_000, held: arguments.contains("--held")) }
case "venue":
    let accounts = option("--accounts") ?? 1
    runToEnd { try await AgentLogicProbe.runVenue(count: count ?? 20_000, accounts: accounts, followUps: arguments.contains("--follow-ups")) }
case "otlp": OTLPProbe.run(count: count ?? 200)
default:
    FileHandle.standardError.write(Data("PipelineProbes: unknown probe '\(probe)'\n".utf8))
    exit(2)
}

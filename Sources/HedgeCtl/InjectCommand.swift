import ArgumentParser
import Configuration
import Foundation
import Messaging
import Trading
import WireFormat
import WireProtocol

/// `hedgectl inject`: publish signals on the bus and (by default) wait for their decisions.
struct InjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inject",
        abstract: "Publish trading signals on the bus and print the decision each one gets.",
        discussion: """
            One signal from flags:   hedgectl inject --symbol BTC-USD --side buy --confidence 0.8
            Many from a JSON Lines file (one {"symbol","side","confidence","note"} per line):
                                     hedgectl inject --file topology/signals.jsonl --rate 5
            The command waits until the bus has a subscriber for the signal topic (the
            TradingDirector), so nothing is sent into the void. While it waits for decisions it
            publishes each signal still without one again, same id, every --resend-ms: the
            decision is the acknowledgement, a signal the director has seen is never traded
            twice, and one sent while the director was down (restarting) is not lost.
            """)

    @OptionGroup var options: CtlOptions

    @Option(help: "Symbol to trade, e.g. BTC-USD.") var symbol: String?
    @Option(help: "buy or sell.") var side: Side?
    @Option(help: "Signal confidence, 0 to 1.") var confidence: Double = 0.7
    @Option(help: "Free text carried in the signal.") var note: String?
    @Option(help: "JSON Lines file of signals to publish instead of one from flags.") var file: String?
    @Option(help: "Signals per second when publishing a file (0 = as fast as possible).") var rate: Double = 0
    @Flag(inversion: .prefixedNo, help: "Wait for each signal's decision and print it.") var wait = true
    @Flag(help: "Print decisions as JSON Lines (the raw envelopes).") var json = false
    @Option(help: "Publish a signal still without a decision again (same id) every this many milliseconds while waiting; 0 = never.")
    var resendMs: Int = 1_000

    func validate() throws {
        if file == nil {
            guard let symbol, let side else { throw ValidationError("give --symbol and --side, or --file FILE") }
            do { try SignalPayload(symbol: symbol, side: side, confidence: confidence, note: note).validate() } catch {
                throw ValidationError(error.message.replacingOccurrences(of: "field 'payload.", with: "option '--"))
            }
        }
        guard rate.isFinite, rate >= 0 else { throw ValidationError("--rate must be 0 or a positive number") }
        guard resendMs >= 0 else { throw ValidationError("--resend-ms must be 0 or a positive number of milliseconds") }
    }

    func run() async throws {
        let topology = try options.loadTopology()
        let signals: [SignalPayload]
        if let file {
            signals = try SignalFile.read(path: file)
        } else {
            signals = [SignalPayload(symbol: symbol ?? "", side: side ?? .buy, confidence: confidence, note: note)]
        }
        guard !signals.isEmpty else { throw CtlFailure("no signals to inject") }
        let missing = try await withMessageLoop { loop in try await inject(signals, topology: topology, loop: loop) }
        if missing > 0 { throw ExitCode(1) }
    }

    /// Publishes the signals; returns how many got no decision in time.
    private func inject(_ signals: [SignalPayload], topology: Topology, loop: MessageLoop) async throws -> Int {
        let timeout = options.timeoutDuration
        let decisions = wait ? try await DecisionWatch.start(loop: loop, topology: topology, timeout: timeout,
                                                                     curve: try options.curve(to: busName, on: topology)) : nil
        let publisher = try await GatedPublisher.connect(loop: loop, endpoint: topology.bus.publish,
                                                         curve: try options.curve(to: busName, on: topology))
        for topic in Set(signals.map { Topic.signal($0.symbol) }) {
            guard await publisher.awaitSubscriber(for: topic, timeout: timeout) else {
                throw CtlFailure("nobody subscribes to '\(topic)' on the bus at \(topology.bus.publish) within \(options.timeout)s. Is the topology up? Try ./topology/launch.sh status")
            }
        }
        var sent: [Envelope<SignalPayload>] = []
        let clock = ContinuousClock()
        let start = clock.now
        for (index, signal) in signals.enumerated() {
            if rate > 0 { try await Task.sleep(until: start.advanced(by: .seconds(Double(index) / rate)), clock: clock) }
            let envelope = Envelope.make(type: EventType.signal, source: "hedgectl", trace: .root(), payload: signal)
            try await publisher.publish(envelope, topic: Topic.signal(signal.symbol))
            sent.append(envelope)
            if !wait { print("sent \(signal.side.rawValue) \(signal.symbol) confidence \(signal.confidence) trace \(envelope.traceId)") }
        }
        guard let decisions else { return 0 }
        let resendEvery: Duration? = resendMs > 0 ? .milliseconds(resendMs) : nil
        let outcome = await decisions.collect(for: sent, resendEvery: resendEvery, resend: { waiting in
            for signal in waiting { try? await publisher.publish(signal, topic: Topic.signal(signal.payload.symbol)) }
        }) { signal, decision in
            if json { print(decision.json) } else { print(DecisionLine.render(signal: signal, decision: decision.envelope)) }
        }
        if outcome.missing > 0 {
            StandardStreams.error("\(outcome.missing) of \(sent.count) signal(s) got no decision within \(options.timeout)s\n")
        } else if !json {
            print("\(sent.count) signal(s): \(outcome.counts.map { "\($0.value) \($0.key.rawValue)" }.sorted().joined(separator: ", "))"
                  + (outcome.resent > 0 ? " (\(outcome.resent) resend(s) while waiting)" : ""))
        }
        return outcome.missing
    }
}

extension Side: ExpressibleByArgument {}

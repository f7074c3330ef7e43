import Foundation
import Trading
import WireFormat
import WireProtocol

/// Encode + decode of the envelopes a cycle sends most: a signal, an order and the order's report.
///
/// By default the same three envelopes go round and round, so every string the codec keeps per
/// thread (trace id, client order id, order id, symbol, account, source, type) is found kept, as
/// symbols, accounts, sources and types are in a running pipeline. With `--fresh` each encode +
/// decode takes the next of 512 envelopes of each kind with a trace id, client order id and order
/// id of their own: the cost when those strings are new to the thread, as on a cycle's first
/// message in each agent.
enum CodecProbe {
    static func run(count: Int) {
        if CommandLine.arguments.contains("--fresh") {
            let cycles = (0..<512).map { index in messages(trace: TraceContext.root(), clientOrderId: "sig-\(MessageID.make())",
                                                           orderId: "O-\(100_000 + index)") }
            measureFresh("envelope encode+decode, fresh ids: signal", cycles.map(\.signal), count: count)
            measureFresh("envelope encode+decode, fresh ids: order.submit", cycles.map(\.order), count: count)
            measureFresh("envelope encode+decode, fresh ids: order.submit.ok", cycles.map(\.report), count: count)
            return
        }
        if CommandLine.arguments.contains("--replies") {
            let (analysis, verdict) = replies(trace: TraceContext.root())
            measure("envelope encode+decode: analyze.ok", analysis, count: count / 4)
            measure("envelope encode+decode: assess.ok", verdict, count: count / 4)
            return
        }
        if CommandLine.arguments.contains("--requests") {
            measureRequests(count: count / 4)
            return
        }
        if CommandLine.arguments.contains("--forward") {
            measureForward(count: count / 2)
            return
        }
        if CommandLine.arguments.contains("--account-event") {
            measure("envelope encode+decode: account event, 8 rows", accountEvent(trace: TraceContext.root()), count: count / 10)
            return
        }
        let cycle = messages(trace: TraceContext.root(), clientOrderId: "sig-9f1c2a7be03d441", orderId: "O-1042")
        measure("envelope encode+decode: signal", cycle.signal, count: count)
        measure("envelope encode+decode: order.submit", cycle.order, count: count)
        measure("envelope encode+decode: order.submit.ok", cycle.report, count: count)
    }

    static func messages(trace: TraceContext, clientOrderId: String, orderId: String)
        -> (signal: Envelope<SignalPayload>, order: Envelope<OrderSubmit>, report: Envelope<OrderReport>) {
        let signal = Envelope.make(type: EventType.signal, source: "hedgectl", trace: trace,
                                   payload: SignalPayload(symbol: "BTC-USD", side: .buy, confidence: 0.8))
        let order = Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: trace,
                                  payload: OrderSubmit(clientOrderId: clientOrderId, account: "desk", symbol: "BTC-USD",
                                                       side: .buy, type: .market, qty: 0.23364996))
        let fill = FillPayload(orderId: orderId, clientOrderId: clientOrderId, account: "desk", symbol: "BTC-USD",
                               side: .buy, price: 60_012.5, qty: 0.23364996, fee: 14.02)
        let report = Envelope.make(type: OrderSubmit.replyType, source: "market-maker", trace: trace,
                                   payload: OrderReport(orderId: orderId, clientOrderId: clientOrderId, account: "desk",
                                                        symbol: "BTC-USD", side: .buy, type: .market, status: .filled, qty: 0.23364996,
                                                        filledQty: 0.23364996, avgPrice: 60_012.5, fills: [fill],
                                                        reason: nil, reasonCode: nil))
        return (signal, order, report)
    }

    /// The replies a director reads and writes again in every filled cycle, for `--replies`: an
    /// analysis as the bench's analyst makes it, and an approving verdict with its plan.
    static func replies(trace: TraceContext) -> (analysis: Envelope<AnalysisReport>, verdict: Envelope<RiskVerdict>) {
        let analysis = AnalysisReport(symbol: "BTC-USD", direction: .long, confidence: 0.4123456789012345, technicalScore: 0.4123456789012345,
                                      trendStrength: 0.31234567890123456, sampleCount: 500, fastEma: 100.12345678901234,
                                      slowEma: 99.98765432109876, rsi: 55.123456789012345, atr: 0.2345678901234567,
                                      momentumZ: 1.2345678901234567, volatility: 0.0012345678901234567,
                                      keyLevels: KeyLevelsPayload(support: 99.5, resistance: 100.75), lastPrice: 100.25,
                                      thesis: "EMA5 100.12 above EMA20 99.99 (gap 1.3 vol); RSI 55.1; momentum z 1.23; support 99.50, resistance 100.75")
        let trade = TradePlan(symbol: "BTC-USD", side: .buy, entryPrice: 100.25, stopPrice: 98.25, qty: 0.01, notional: 1.0025,
                              riskAmount: 0.02, riskPct: 0.00002498765432109876, sizedBy: .riskPerTradePct, leverage: 1, margin: 1.0025,
                              targets: [PlannedTarget(riskReward: 2, fraction: 0.5, price: 104.25, qty: 0.005),
                                        PlannedTarget(riskReward: 3, fraction: 0.5, price: 106.25, qty: 0.005)],
                              exposureAfter: 0.012530864197530864, heatAfter: 0.0002498765432109876,
                              marginUsageAfter: 0.012530864197530864, warnings: [], summary: "plan")
        let plan = RiskPlanPayload(trade, capital: 80_012.5, assumedStops: ["ETH-USD", "SOL-USD"])
        let verdict = RiskVerdict(symbol: "BTC-USD", side: .buy, approved: true, qty: 0.01, price: 100.25, notional: 1.0025,
                                  reason: "approved: 0.01 BTC-USD at 100.25, stop 98.25, risk 0.02 (0.00% of 80012.50), sized by riskPerTradePct",
                                  limit: nil, plan: plan)
        return (Envelope.make(type: AnalyzeRequest.replyType, source: "quant-analyst", trace: trace, payload: analysis),
                Envelope.make(type: AssessRequest.replyType, source: "risk-manager", trace: trace, payload: verdict))
    }

    /// An `account.<name>` event as the MarketMaker publishes it after an order, for
    /// `--account-event` (the message six processes decode most besides the cycle's own): the
    /// desk's eight rows, each position open, and its balance of every asset.
    static func accountEvent(trace: TraceContext) -> Envelope<InventorySnapshot> {
        let symbols = ["ADA", "AVAX", "BTC", "DOT", "ETH", "LTC", "SOL", "XRP"]
        let rows = symbols.enumerated().map { index, base in
            var row = PositionPayload(account: "desk", symbol: "\(base)-USD", base: WireDecimal(units: Int64(index + 1) * 12_500_000),
                                      quote: -1_234.5, avgEntryPrice: 100.25, realizedPnl: 12.5, unrealizedPnl: -3.75, fees: 1.5,
                                      mark: 100.12)
            row.baseAsset = base
            row.quoteAsset = "USD"
            return row
        }
        let balances = [AssetBalancePayload(asset: "USD", amount: 90_123.45, reserved: 0, available: 90_123.45)]
            + symbols.map { AssetBalancePayload(asset: $0, amount: 1.25, reserved: 0, available: 1.25) }
        let snapshot = InventorySnapshot(positions: rows, accounts: [AccountPayload(account: "desk", balances: balances, version: 4_211)],
                                         venueEpoch: "00a1b2c3d4e5f607")
        return Envelope.make(type: EventType.account, source: "market-maker", trace: trace, payload: snapshot)
    }

    /// Median over 9 rounds of the time per encode + decode.
    static func measure<P: MessagePayload & Equatable>(_ name: String, _ envelope: Envelope<P>, count: Int) {
        let codec = JSONEnvelopeCodec()
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        for _ in 0..<rounds {
            let started = nanos()
            for _ in 0..<perRound {
                let body = try! codec.encode(envelope)
                let back = try! codec.decode(P.self, from: body)
                precondition(back.payload == envelope.payload, "the codec changed the payload")
            }
            samples.append(Double(nanos() - started) / Double(perRound))
        }
        samples.sort()
        emit(name, samples[rounds / 2] / 1_000, "µs", baseline: "3", note: "ratio to the 3 µs target")
    }

    /// `measure` going through `envelopes` in turn, each read from the array in place. Kept apart
    /// from `measure`, whose loop (one envelope, never copied) every earlier count was made with.
    static func measureFresh<P: MessagePayload & Equatable>(_ name: String, _ envelopes: [Envelope<P>], count: Int) {
        let codec = JSONEnvelopeCodec()
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        var next = 0
        envelopes.withUnsafeBufferPointer { envelopes in
            for _ in 0..<rounds {
                let started = nanos()
                for _ in 0..<perRound {
                    let body = try! codec.encode(envelopes[next])
                    let back = try! codec.decode(P.self, from: body)
                    precondition(back.payload == envelopes[next].payload, "the codec changed the payload")
                    next = next + 1 == envelopes.count ? 0 : next + 1
                }
                samples.append(Double(nanos() - started) / Double(perRound))
            }
        }
        samples.sort()
        emit(name, samples[rounds / 2] / 1_000, "µs", baseline: "3", note: "ratio to the 3 µs target")
    }

    /// What the servers do with a cycle's four requests, for `--requests`: open each one (its
    /// header read and routed by type) and read its payload as the handler does. Median over 9
    /// rounds of the time per set of four.
    static func measureRequests(count: Int) {
        let trace = TraceContext.root()
        let cycle = messages(trace: trace, clientOrderId: "sig-9f1c2a7be03d441", orderId: "O-1042")
        let analysis = replies(trace: trace).analysis.payload
        let codec = JSONEnvelopeCodec()
        let analyze = try! codec.encode(Envelope.make(type: AnalyzeRequest.requestType, source: "trading-director", trace: trace,
                                                      payload: AnalyzeRequest(symbol: "BTC-USD", side: .buy)))
        let assess = try! codec.encode(Envelope.make(type: AssessRequest.requestType, source: "trading-director", trace: trace,
                                                     payload: AssessRequest(symbol: "BTC-USD", side: .buy, account: "desk",
                                                                            signalConfidence: 0.8, analysis: analysis,
                                                                            afterVersion: 4_211, venueEpoch: "00a1b2c3d4e5f607")))
        let execute = try! codec.encode(Envelope.make(type: ExecuteRequest.requestType, source: "trading-director", trace: trace,
                                                      payload: ExecuteRequest(order: cycle.order.payload)))
        let submit = try! codec.encode(cycle.order)
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        for _ in 0..<rounds {
            let started = nanos()
            for _ in 0..<perRound {
                let a = try! codec.decode(AnalyzeRequest.self, from: codec.open(analyze))
                let b = try! codec.decode(AssessRequest.self, from: codec.open(assess))
                let c = try! codec.decode(ExecuteRequest.self, from: codec.open(execute))
                let d = try! codec.decode(OrderSubmit.self, from: codec.open(submit))
                precondition(a.payload.symbol == b.payload.symbol && c.payload.order == d.payload, "a request read wrong")
            }
            samples.append(Double(nanos() - started) / Double(perRound))
        }
        samples.sort()
        emit("the cycle's four requests opened and read", samples[rounds / 2] / 1_000, "µs", baseline: "3",
             note: "ratio to the 3 µs target")
    }

    /// What an ExecutionAgent does with the MarketMaker's report of a filled order, for
    /// `--forward`: reads it from the reply's bytes and writes its own `execute.ok` carrying it
    /// (as the bytes it came in). Median over 9 rounds of the time per read + write.
    static func measureForward(count: Int) {
        let trace = TraceContext.root()
        let report = messages(trace: trace, clientOrderId: "sig-9f1c2a7be03d441", orderId: "O-1042").report
        let codec = JSONEnvelopeCodec()
        let received = try! codec.encode(report)
        let rounds = 9, perRound = max(1, count / rounds)
        var samples: [Double] = []
        for _ in 0..<rounds {
            let started = nanos()
            for _ in 0..<perRound {
                let read = try! codec.decode(OrderReport.self, from: received)
                let reply = Envelope.make(type: ExecuteRequest.replyType, source: "execution-agent", trace: trace,
                                          carrying: CarriedPayload(read))
                let body = try! codec.encode(reply)
                precondition(body.count > received.count / 2, "the reply lost its payload")
            }
            samples.append(Double(nanos() - started) / Double(perRound))
        }
        samples.sort()
        emit("order report read and written again (execute.ok)", samples[rounds / 2] / 1_000, "µs", baseline: "3",
             note: "ratio to the 3 µs target")
    }
}

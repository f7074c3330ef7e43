import Agents
import AgentsTesting
import Configuration
import Foundation
import GRDB
@testable import Ledger
import Testing
import Trading
import WireFormat
import WireProtocol

/// The ledger's order columns written by the MarketMaker's hand-written forms are the text the
/// `Codable` path writes, over seeded random orders and results and through a venue writing a
/// real ledger; a string holding `/` (which Foundation escapes) is left to `Codable`.
/// Three minutes: alone the suite takes under a second, but its two venues sync 400 commits,
/// and in the whole suite, beside the tests that start processes, those took 50–76 s.
@Suite(.timeLimit(.minutes(3)))
struct LedgerOrderFormsTests {
    static let texts = ["desk", "c-17", "BTC-USD", "\"quoted\" é → ✓", "tab\tand\nnewline\r", "back\\slash", "bell\u{07}", "", "a/b", "ünïcødé 🚀"]

    /// A positive fixed-point value of up to `whole` units with 0 to 8 decimals.
    static func fixed<Kind>(_ random: inout SeededGenerator, upTo whole: Int64) -> FixedPoint<Kind> {
        let decimals = Int64.random(in: 0...8, using: &random)
        var step: Int64 = 1
        for _ in 0..<(8 - decimals) { step *= 10 }
        return FixedPoint(raw: Int64.random(in: 1...(whole * 100_000_000 / step), using: &random) * step)
    }

    static func text(_ random: inout SeededGenerator) -> String { texts.randomElement(using: &random)! }

    static func request(_ random: inout SeededGenerator) -> OrderRequest {
        OrderRequest(clientOrderId: text(&random), account: text(&random), symbol: text(&random),
                     side: Side.allCases.randomElement(using: &random)!, type: OrderType.allCases.randomElement(using: &random)!,
                     qty: fixed(&random, upTo: 1_000), limitPrice: Bool.random(using: &random) ? fixed(&random, upTo: 90_000_000) : nil)
    }

    static func result(_ random: inout SeededGenerator) -> OrderResult {
        let request = request(&random)
        let fills = (0..<Int.random(in: 0...3, using: &random)).map { n in
            Fill(orderId: "O-\(n)", clientOrderId: request.clientOrderId, account: request.account, symbol: request.symbol, side: request.side,
                 price: fixed(&random, upTo: 90_000_000), qty: fixed(&random, upTo: 1_000), fee: Bool.random(using: &random) ? 0 : fixed(&random, upTo: 10_000),
                 timestampMicros: Int64.random(in: 0...Int64.max, using: &random))
        }
        let rejection = Bool.random(using: &random)
            ? TradingError([.insufficientQuote, .invalidQuantity, TradingError.Code(rawValue: "odd/code")].randomElement(using: &random)!, text(&random))
            : nil
        return OrderResult(orderId: "O-\(random.next() % 100_000)", clientOrderId: request.clientOrderId, account: request.account,
                           symbol: request.symbol, side: request.side, type: request.type, status: OrderStatus.allCases.randomElement(using: &random)!,
                           requestedQty: request.qty, limitPrice: request.limitPrice, filledQty: fills.isEmpty ? 0 : fixed(&random, upTo: 1_000),
                           averagePrice: fills.isEmpty ? nil : fixed(&random, upTo: 90_000_000), fills: fills, rejection: rejection)
    }

    static func holdsSlash(_ strings: [String]) -> Bool { strings.contains { $0.contains("/") } }

    @Test("2,000 seeded requests and results: the forms write Codable's text, and leave only values with a / to it")
    func seeded() throws {
        var random = SeededGenerator(seed: 0x1ED6E5)
        let forms = LedgerOrderForms()
        var written = 0
        for _ in 0..<2_000 {
            let request = Self.request(&random)
            let requestText = forms.json(of: request)
            let requestCodable = try LedgerJSON.encode(request)
            #expect(requestText == nil || requestText == requestCodable, "\(request)")
            #expect((requestText == nil) == Self.holdsSlash([request.clientOrderId, request.account, request.symbol]), "\(request)")

            let result = Self.result(&random)
            let resultText = forms.json(of: result)
            let resultCodable = try LedgerJSON.encode(result)
            #expect(resultText == nil || resultText == resultCodable, "\(result)")
            let strings = [result.orderId, result.clientOrderId, result.account, result.symbol] + result.fills.flatMap { [$0.orderId] }
                + (result.rejection.map { [$0.code.rawValue, $0.message] } ?? [])
            #expect((resultText == nil) == Self.holdsSlash(strings), "\(result)")
            if requestText != nil, resultText != nil { written += 1 }
        }
        #expect(written > 800, "most values have no / and are written by the forms: \(written)")
    }

    /// Every order's request and result column, in order.
    static func orderColumns(_ path: String) throws -> [[String]] {
        try LedgerStore(path: path, readOnly: true).queue.read { db in
            try Row.fetchAll(db, sql: "SELECT request, result FROM orders ORDER BY number").map { [$0[0], $0[1]] }
        }
    }

    /// Runs the same seeded orders through a venue writing `path`, with or without the forms:
    /// a spot and a margin account, market and limit orders, repeated client order ids, ticks.
    static func trade(_ path: String, forms: Bool) async throws -> [OrderReport] {
        var random = SeededGenerator(seed: 0x0DE5)
        var spot = AccountSection()
        spot.name = "spot"
        var margin = AccountSection()
        margin.name = "margin/desk"
        margin.allowShort = true
        margin.maxLeverage = 3
        let journal = LedgerJournal(store: try LedgerStore(path: path, orderWriter: forms ? LedgerOrderForms() : nil))
        let time = ManualTime(micros: 1_700_000_000_000_000)
        let state = try VenueState(market: MarketSection(), accounts: [spot, margin], journal: journal, at: time.nowMicros())
        let venue = try VenueAgent(venueState: state, publisher: RecordingPublisher(source: "market-maker"), logger: .init(label: "venue-test"), time: time)
        var reports: [OrderReport] = []
        for n in 0..<200 {
            let limit = Bool.random(using: &random)
            let order = OrderSubmit(clientOrderId: n % 7 == 0 ? "sig/\(n)" : "sig-\(n % 150)", account: n % 3 == 0 ? "margin/desk" : "spot",
                                    symbol: "BTC-USD", side: Bool.random(using: &random) ? .buy : .sell, type: limit ? .limit : .market,
                                    qty: WireDecimal(units: Int64.random(in: 1...50, using: &random) * 1_000_000),
                                    price: limit ? WireDecimal(units: Int64.random(in: 5_900_000...6_100_000, using: &random) * 1_000_000) : nil)
            var report = try await venue.submit(Envelope.make(type: OrderSubmit.requestType, source: "execution-agent", trace: .root(), payload: order))
            report.venueEpoch = nil  // chosen at random by each venue; not in the ledger
            reports.append(report)
            time.advance(seconds: 0.01)
            if n % 20 == 19 { #expect(await venue.tickMarket()) }
        }
        await state.close()
        return reports
    }

    @Test("a venue's ledger written by the forms holds Codable's text in every row and restores the same state")
    func ledgerRows() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-forms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let withForms = folder.appendingPathComponent("forms.sqlite").path, withCodable = folder.appendingPathComponent("codable.sqlite").path

        let reports = try await Self.trade(withForms, forms: true)
        #expect(try await Self.trade(withCodable, forms: false) == reports)
        let rows = try Self.orderColumns(withForms)
        let codableRows = try Self.orderColumns(withCodable)
        #expect(rows.count > 150 && rows == codableRows)
        #expect(Set(reports.map(\.status)).isSuperset(of: [.filled, .open, .rejected]), "fills, resting orders and rejections are all written")

        let restored = try LedgerStore(path: withForms, readOnly: true).venueSnapshot()
        #expect(restored == (try LedgerStore(path: withCodable, readOnly: true).venueSnapshot()))
        #expect(restored.rememberedResults.count > 50)
    }
}

import Foundation
import Testing
import WireFormat
import WireProtocol
@testable import Agents

/// Which of the venue's margin books the RiskManager checks a plan against: the venue margins
/// each quote asset apart, so an ETH-EUR plan must be judged by the EUR book, not the USD one.
@Suite("RiskManager margin book")
struct RiskMarginBookTests {
    static func book(_ asset: String, equity: String) -> String {
        #"{"collateral_asset":"\#(asset)","max_leverage":5,"equity":\#(equity),"margin_used":0,"available_margin":\#(equity),"maintenance_margin":0,"liquidation_prices":{}}"#
    }

    static func account(margin: String?, margins: [String]?) throws -> AccountPayload {
        var members = [#""account":"desk""#, #""balances":[]"#]
        if let margin { members.append(#""margin":\#(margin)"#) }
        if let margins { members.append(#""margins":[\#(margins.joined(separator: ","))]"#) }
        return try JSONDecoder().decode(AccountPayload.self, from: Data("{\(members.joined(separator: ","))}".utf8))
    }

    @Test func aTwoQuoteAccountIsJudgedByTheSymbolsQuoteAssetBook() throws {
        let desk = try Self.account(margin: nil, margins: [Self.book("USD", equity: "9944.008"), Self.book("EUR", equity: "2980.005")])
        #expect(RiskManager.marginBook(of: desk, quoteAsset: "EUR")?.equity == WireDecimal(units: 298_000_500_000))
        #expect(RiskManager.marginBook(of: desk, quoteAsset: "USD")?.collateralAsset == "USD")
        // No book in that asset (nothing margined in it yet), and no guessing among several.
        #expect(RiskManager.marginBook(of: desk, quoteAsset: "GBP") == nil)
        #expect(RiskManager.marginBook(of: desk, quoteAsset: nil) == nil)
    }

    @Test func aSingleBookFromAnOlderSenderStillCounts() throws {
        let desk = try Self.account(margin: Self.book("USD", equity: "10000"), margins: nil)
        #expect(RiskManager.marginBook(of: desk, quoteAsset: "USD")?.collateralAsset == "USD")
        #expect(RiskManager.marginBook(of: desk, quoteAsset: nil)?.collateralAsset == "USD")
        #expect(RiskManager.marginBook(of: desk, quoteAsset: "EUR") == nil)
        #expect(RiskManager.marginBook(of: try Self.account(margin: nil, margins: nil), quoteAsset: "USD") == nil)
        #expect(RiskManager.marginBook(of: nil, quoteAsset: "USD") == nil)
    }
}

import Foundation
import Testing
@testable import WireFormat
@testable import WireProtocol

/// An account with one quote asset carries its one margin book twice, as `margin` and as the
/// only element of `margins`: the fast path writes the book once and copies its bytes, and reads
/// `margins` only when it is not an array of exactly the bytes `margin` was read from. Whatever a
/// sender writes, the values read are the `Codable` path's.
extension FastEnvelopeEncodingTests {
    private static let book = MarginPayload(collateralAsset: "USD", maxLeverage: 20, equity: 7_999_999_950.000079, marginUsed: 7_999.59998201,
                                            availableMargin: 7_999_991_950.400098, maintenanceMargin: 39.99799992,
                                            liquidationPrices: ["BTC-USD": 50.25, "ETH-USD": 1_900])

    @Test func theVenuesOneBookIsWrittenOnceAndReadBackIntoBothMembers() throws {
        let account = AccountPayload(account: "desk", balances: [AssetBalancePayload(asset: "USD", amount: 1, reserved: 0, available: 1)],
                                     margin: Self.book, margins: [Self.book], version: 5, sequence: 5, sinceSequence: 4)
        let envelope = SamplePayloads.envelope("account", InventorySnapshot(positions: [], accounts: [account], venueEpoch: "f63e11b098e832b8"))
        try expectSameBytes(envelope)
        let written = try #require(FastEnvelopeCoding.encode(envelope))
        let back = try #require(FastEnvelopeCoding.decode(InventorySnapshot.self, from: written))
        #expect(back.payload.accounts?.first?.margin == Self.book && back.payload.accounts?.first?.margins == [Self.book])
    }

    @Test func marginsThatAreNotTheBytesOfMarginAreReadForThemselves() throws {
        let header = #""id":"m-1","parent_id":null,"source":"s","trace_id":"\#(SamplePayloads.traceId)","ts":1,"type":"account","v":1"#
        func doc(_ account: String) -> Data { Data(#"{\#(header),"payload":{"positions":[],"accounts":[\#(account)]}}"#.utf8) }
        let one = #"{"available_margin":1,"collateral_asset":"USD","equity":1,"liquidation_prices":{"X":2},"maintenance_margin":0,"margin_used":0,"max_leverage":2}"#
        let other = #"{"available_margin":1,"collateral_asset":"USD","equity":3,"liquidation_prices":{},"maintenance_margin":0,"margin_used":0,"max_leverage":2}"#
        let spaced = #"{ "available_margin": 1, "collateral_asset": "USD", "equity": 1, "liquidation_prices": {"X": 2}, "maintenance_margin": 0, "margin_used": 0, "max_leverage": 2 }"#
        let respelled = one.replacingOccurrences(of: #""equity":1"#, with: #""equity":1.0"#)
        let sameLength = one.replacingOccurrences(of: #""equity":1"#, with: #""equity":4"#)
        let badEquity = one.replacingOccurrences(of: #""equity":1"#, with: #""equity":"1""#)
        // Each account, with the equity of the `margin` read and of the first book of `margins`.
        let cases: [(account: String, margin: WireDecimal?, first: WireDecimal?)] = [
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[\#(one)]}"#, 1, 1),
            (#"{"account":"a","balances":[],"margins":[\#(one)],"margin":\#(one)}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(other),"margins":[\#(one)]}"#, 3, 1),
            (#"{"account":"a","balances":[],"margins":[\#(one)],"margin":\#(other)}"#, 3, 1),
            (#"{"account":"a","balances":[],"margin":\#(sameLength),"margins":[\#(one)]}"#, 4, 1),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[\#(sameLength)]}"#, 1, 4),
            (#"{"account":"a","balances":[],"margin":\#(spaced),"margins":[\#(one)]}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[ \#(one) ]}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(respelled),"margins":[\#(one)]}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[\#(one),\#(other)]}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(other),"margins":[]}"#, 3, nil),
            (#"{"account":"a","balances":[],"margin":\#(other)}"#, 3, nil),
            (#"{"account":"a","balances":[],"margin":null,"margins":[\#(one)]}"#, nil, 1),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[\#(one)],"margin":\#(other)}"#, 1, 1),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":[\#(badEquity)]}"#, nil, nil),
            (#"{"account":"a","balances":[],"margin":\#(badEquity),"margins":[\#(one)]}"#, nil, nil),
            (#"{"account":"a","balances":[],"margin":5,"margins":[\#(one)]}"#, nil, nil),
            (#"{"account":"a","balances":[],"margin":\#(one),"margins":\#(one)}"#, nil, nil),
        ]
        for (account, margin, first) in cases {
            let fast = FastCodingSupport.decoded(InventorySnapshot.self, doc(account))
            #expect(fast == FastCodingSupport.decodedWithCodable(InventorySnapshot.self, doc(account)), "\(account)")
            guard case .value(let snapshot) = fast else {
                #expect(margin == nil && first == nil, "refused: \(account)")
                continue
            }
            let read = snapshot.payload.accounts?.first
            #expect(read?.margin?.equity == margin && read?.margins?.first?.equity == first, "\(account)")
            // Read by the fast path itself, not left to the `Codable` path.
            let fastOnly = FastEnvelopeCoding.decode(InventorySnapshot.self, from: doc(account))?.payload.accounts?.first
            #expect(fastOnly?.margin?.equity == margin && fastOnly?.margins?.first?.equity == first, "\(account)")
        }
    }
}

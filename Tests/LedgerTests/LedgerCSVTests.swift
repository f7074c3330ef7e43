import Ledger
import Testing
import Trading
import VenueTesting

/// `hedgectl ledger --csv`'s text: header, one row per fill or rejection in time order.
@Suite struct LedgerCSVTests {
    /// An order entry for a hand-made ledger.
    static func order(_ number: Int, account: String, clientOrderId: String, symbol: String, side: Side, type: OrderType,
                      qty: Quantity, status: OrderStatus, rejection: TradingError? = nil, at time: Int64) -> LedgerOrder {
        let request = OrderRequest(clientOrderId: clientOrderId, account: account, symbol: symbol, side: side, type: type, qty: qty)
        let result = OrderResult(orderId: "O-\(number)", clientOrderId: clientOrderId, account: account, symbol: symbol, side: side,
                                 type: type, status: status, requestedQty: qty, rejection: rejection)
        return LedgerOrder(request: request, result: result, number: number, isRemembered: true, timestampMicros: time)
    }

    static func batch(_ order: LedgerOrder, _ event: LedgerEvent) -> LedgerBatch {
        var batch = LedgerBatch()
        batch.orders = [order]
        batch.events = [event]
        return batch
    }

    @Test func aSmallHandMadeLedgerExportsToTheGoldenText() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            try ledger.record(Self.batch(
                Self.order(1, account: "mm", clientOrderId: "c1", symbol: "BTC-USD", side: .buy, type: .market, qty: 0.5, status: .filled, at: 100),
                LedgerEvent(kind: .fill, timestampMicros: 100, orderId: "O-1", clientOrderId: "c1", account: "mm", symbol: "BTC-USD",
                            side: .buy, price: 60_000, qty: 0.5, fee: 30, base: 0.5, quote: 69_970)))
            let poor = TradingError(.insufficientBase, "sell needs 0.00001 base, account desk, two holds 0")
            try ledger.record(Self.batch(
                Self.order(2, account: "desk, two", clientOrderId: "say \"hi\"", symbol: "BTC-USD", side: .sell, type: .limit,
                           qty: 0.00001, status: .rejected, rejection: poor, at: 300),
                LedgerEvent(kind: .reject, timestampMicros: 300, orderId: "O-2", clientOrderId: "say \"hi\"", account: "desk, two",
                            symbol: "BTC-USD", side: .sell, price: 59_000.5, qty: 0.00001, fee: 0, base: 0, quote: 1_000.25,
                            reasonCode: poor.code.rawValue, reason: poor.message)))
            // Recorded after the rejection but earlier in time: the export sorts it first.
            try ledger.record(Self.batch(
                Self.order(3, account: "shorty", clientOrderId: "c3", symbol: "ETH-USD", side: .sell, type: .limit, qty: 0.25, status: .filled, at: 200),
                LedgerEvent(kind: .fill, timestampMicros: 200, orderId: "O-3", clientOrderId: "c3", account: "shorty", symbol: "ETH-USD",
                            side: .sell, price: 3_000.5, qty: 0.25, fee: 0.375, base: -0.25, quote: 40_749.75)))
            let invalid = TradingError(.invalidQuantity, "quantity must be a positive number of base units, got 0")
            let nanOrder = Self.order(4, account: "mm", clientOrderId: "c4", symbol: "BTC-USD", side: .buy, type: .market, qty: 0,
                                      status: .rejected, rejection: invalid, at: 400)
            try ledger.record(Self.batch(nanOrder, LedgerEvent(
                rejected: nanOrder.result, price: nil, holdings: Balance(base: 0.5, quote: 69_970), at: 400)))

            var text = ""
            try ledger.writeCSV(to: &text)
            #expect(text == #"""
                timestamp,event_type,price,amount,base_inventory,quote_inventory,total_value,account,symbol,side,order_id,client_order_id,fee,reason_code,reason
                100,fill,60000,0.5,0.5,69970,99970,mm,BTC-USD,buy,O-1,c1,30,,
                200,fill,3000.5,0.25,-0.25,40749.75,39999.625,shorty,ETH-USD,sell,O-3,c3,0.375,,
                300,reject,59000.5,0.00001,0,1000.25,1000.25,"desk, two",BTC-USD,sell,O-2,"say ""hi""",0,insufficient_base,"sell needs 0.00001 base, account desk, two holds 0"
                400,reject,,0,0.5,69970,,mm,BTC-USD,buy,O-4,c4,0,invalid_quantity,"quantity must be a positive number of base units, got 0"

                """#)
            #expect(try ledger.fills().map(\.orderId) == ["O-1", "O-3"])
            #expect(try ledger.rejections().map(\.orderId) == ["O-2", "O-4"])
        }
    }

    @Test func everyNumberInARandomRunsExportReadsBackBitForBit() throws {
        try withTemporaryDirectory { directory in
            let ledger = try LedgerStore(path: directory + "/ledger.sqlite")
            var script = VenueScript(seed: 41)
            var recorded = RecordedVenue(venue: try VenueScript.venue(), ledger: ledger)
            for step in 0..<300 { try recorded.perform(script.next(for: recorded.venue), at: 1_700_000_000_000_000 + Int64(step) * 250_000) }
            let events = try ledger.events()
            #expect(events.contains { $0.kind == .reject })
            #expect(events.contains { $0.kind == .fill })

            var text = ""
            try ledger.writeCSV(to: &text)
            let rows = Self.parse(text)
            #expect(rows.first == LedgerCSV.columns)
            #expect(rows.count == events.count + 1)
            let column = Dictionary(uniqueKeysWithValues: LedgerCSV.columns.enumerated().map { ($1, $0) })
            for (row, event) in zip(rows.dropFirst(), events) {
                #expect(row.count == LedgerCSV.columns.count)
                #expect(Int64(row[column["timestamp"]!]) == event.timestampMicros)
                #expect(row[column["order_id"]!] == event.orderId)
                // Each cell is the exact decimal the ledger holds.
                let numbers: [(String, String?)] = [
                    ("price", event.price?.description), ("amount", event.qty.description), ("base_inventory", event.base?.description),
                    ("quote_inventory", event.quote?.description), ("total_value", event.totalValue?.description),
                    ("fee", event.fee.description),
                ]
                for (name, value) in numbers {
                    let cell = row[column[name]!]
                    #expect(cell.isEmpty ? value == nil : cell == value, "\(name) \(cell) vs \(value as Any)")
                }
            }
            let times = events.map(\.timestampMicros)
            #expect(times == times.sorted())
        }
    }

    /// RFC 4180 fields: quoted ones may hold commas, doubled quotes and line breaks.
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        return rows
    }
}

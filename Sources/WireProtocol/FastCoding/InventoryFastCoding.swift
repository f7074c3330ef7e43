import WireFormat
import Trading

// Hand-written JSON forms of the venue's inventory rows: the RiskManager's `inventory.get` on
// every assessment and the MarketMaker's `inventory.<symbol>` event after every fill. A snapshot
// that carries account balances and margin declines to the `Codable` path.

extension InventoryQuery: FastWireCodable {
    public static let fastJSON: FastJSONForm<InventoryQuery>? = FastJSONForm(
        encode: { FastEnvelopeCoding.encode($0) }, decode: { FastEnvelopeCoding.decode(InventoryQuery.self, from: $0) },
        decodePayload: { try? InventoryQuery(fastJSON: $0) })

    private static let keys = JSONKeyTable("account", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.optionalString("account", account)
        object.optionalString("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, symbol: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.optionalString()
            default: symbol = try value.optionalString()
            }
        }
        self.init(symbol: symbol, account: account)
    }
}

extension InventorySnapshot: FastWireCodable {
    public static let fastJSON: FastJSONForm<InventorySnapshot>? = FastJSONForm(
        encode: { FastEnvelopeCoding.encode($0) }, decode: { FastEnvelopeCoding.decode(InventorySnapshot.self, from: $0) },
        decodePayload: { try? InventorySnapshot(fastJSON: $0) })

    private static let keys = JSONKeyTable("accounts", "positions")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        guard accounts == nil else { throw FastPathDeclined() }
        var object = JSONObjectWriter(out)
        try object.array("positions", positions)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var positions: [PositionPayload]?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: guard value.isNull else { throw FastPathDeclined() }
            default: positions = try value.array(of: PositionPayload.self)
            }
        }
        guard let positions else { throw FastPathDeclined() }
        self.init(positions: positions)
    }
}

extension PositionPayload: FastWireCodable {
    private static let keys = JSONKeyTable("account", "avg_entry_price", "base", "base_asset", "effective_inventory", "fees",
                                           "hedge_suggestion", "mark", "max_inventory", "over_limit", "pending_buy", "pending_sell",
                                           "quote", "quote_asset", "realized_pnl", "symbol", "unrealized_pnl")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        object.decimal("avg_entry_price", avgEntryPrice)
        object.decimal("base", base)
        object.optionalString("base_asset", baseAsset)
        object.optionalDecimal("effective_inventory", effectiveInventory)
        object.decimal("fees", fees)
        object.optionalString("hedge_suggestion", hedgeSuggestion)
        object.optionalDecimal("mark", mark)
        object.optionalDecimal("max_inventory", maxInventory)
        if let overLimit { object.bool("over_limit", overLimit) }
        object.optionalDecimal("pending_buy", pendingBuy)
        object.optionalDecimal("pending_sell", pendingSell)
        object.decimal("quote", quote)
        object.optionalString("quote_asset", quoteAsset)
        object.decimal("realized_pnl", realizedPnl)
        object.string("symbol", symbol)
        object.decimal("unrealized_pnl", unrealizedPnl)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, avgEntryPrice: WireDecimal?, base: WireDecimal?, baseAsset: String?, effectiveInventory: WireDecimal?
        var fees: WireDecimal?, hedgeSuggestion: String?, mark: WireDecimal?, maxInventory: WireDecimal?, overLimit: Bool?
        var pendingBuy: WireDecimal?, pendingSell: WireDecimal?, quote: WireDecimal?, quoteAsset: String?, realizedPnl: WireDecimal?
        var symbol: String?, unrealizedPnl: WireDecimal?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.string()
            case 1: avgEntryPrice = try value.decimal()
            case 2: base = try value.decimal()
            case 3: baseAsset = try value.optionalString()
            case 4: effectiveInventory = try value.optionalDecimal()
            case 5: fees = try value.decimal()
            case 6: hedgeSuggestion = try value.optionalString()
            case 7: mark = try value.optionalDecimal()
            case 8: maxInventory = try value.optionalDecimal()
            case 9: overLimit = value.isNull ? nil : try value.bool()
            case 10: pendingBuy = try value.optionalDecimal()
            case 11: pendingSell = try value.optionalDecimal()
            case 12: quote = try value.decimal()
            case 13: quoteAsset = try value.optionalString()
            case 14: realizedPnl = try value.decimal()
            case 15: symbol = try value.string()
            default: unrealizedPnl = try value.decimal()
            }
        }
        guard let account, let avgEntryPrice, let base, let fees, let quote, let realizedPnl, let symbol, let unrealizedPnl
        else { throw FastPathDeclined() }
        self.init(account: account, symbol: symbol, base: base, quote: quote, avgEntryPrice: avgEntryPrice, realizedPnl: realizedPnl,
                  unrealizedPnl: unrealizedPnl, fees: fees, mark: mark)
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.pendingBuy = pendingBuy
        self.pendingSell = pendingSell
        self.effectiveInventory = effectiveInventory
        self.maxInventory = maxInventory
        self.overLimit = overLimit
        self.hedgeSuggestion = hedgeSuggestion
    }
}

import WireFormat
import Trading

// Hand-written JSON forms of the venue's inventory: the RiskManager's `inventory.get`, the
// MarketMaker's `inventory.<symbol>` event after every fill and its `account.<name>` event after
// every committed change and market tick (rows, balances, margin books, versions).

extension InventoryQuery: FastWireCodable {
    public static let fastJSON: FastJSONForm<InventoryQuery>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(InventoryQuery.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(InventoryQuery.self, from: message) })

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
            case 0: account = try value.optionalRecurringString()
            default: symbol = try value.optionalRecurringString()
            }
        }
        self.init(symbol: symbol, account: account)
    }
}

extension InventorySnapshot: FastWireCodable {
    public static let fastJSON: FastJSONForm<InventorySnapshot>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(InventorySnapshot.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(InventorySnapshot.self, from: message) })

    private static let keys = JSONKeyTable("accounts", "positions", "venue_epoch")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.optionalArray("accounts", accounts)
        try object.array("positions", positions)
        object.optionalString("venue_epoch", venueEpoch)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var accounts: [AccountPayload]?, positions: [PositionPayload]?, venueEpoch: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: accounts = try value.optionalArray(of: AccountPayload.self)
            case 1: positions = try value.array(of: PositionPayload.self)
            default: venueEpoch = try value.optionalRecurringString()
            }
        }
        guard let positions else { throw FastPathDeclined() }
        self.init(positions: positions, accounts: accounts, venueEpoch: venueEpoch)
    }
}

extension AccountPayload: FastWireCodable {
    private static let keys = JSONKeyTable("account", "balances", "margin", "margins", "orders", "sequence", "since_sequence",
                                           "version")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        try object.array("balances", balances)
        guard let margin else {
            try object.optionalArray("margins", margins)
            return finish(object)
        }
        object.name("margin")
        let start = out.written
        try margin.writeFastJSON(to: out)
        if let margins, margins.count == 1, margins[0] == margin {
            // The venue's account with one quote asset: its one book twice, written once.
            let length = out.written - start
            object.name("margins")
            out.append(UInt8(ascii: "["))
            out.appendCopy(from: start, count: length)
            out.append(UInt8(ascii: "]"))
        } else {
            try object.optionalArray("margins", margins)
        }
        finish(object)
    }

    private func finish(_ object: consuming JSONObjectWriter) {
        if let orders { object.strings("orders", orders) }
        if let sequence { object.integer("sequence", sequence) }
        if let sinceSequence { object.integer("since_sequence", sinceSequence) }
        if let version { object.integer("version", version) }
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, balances: [AssetBalancePayload]?, margin: MarginPayload?, margins: [MarginPayload]?
        var orders: [String]?, sequence: UInt64?, sinceSequence: UInt64?, version: UInt64?
        // The venue writes an account with one quote asset's one book as `margin` and again as
        // the only element of `margins`: an array of exactly the bytes `margin` was read from is
        // that book, taken without reading it again.
        var marginBytes: Range<Int>?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.recurringString()
            case 1: balances = try value.array(of: AssetBalancePayload.self)
            case 2:
                let start = value.position
                margin = try value.optionalValue()
                if margin != nil { marginBytes = start ..< value.position }
            case 3:
                if let margin, let marginBytes, value.passArray(holdingOnly: marginBytes) {
                    margins = [margin]
                } else {
                    margins = try value.optionalArray(of: MarginPayload.self)
                }
            case 4: orders = try value.readNull() ? nil : try value.strings()
            case 5: sequence = try value.optionalInteger()
            case 6: sinceSequence = try value.optionalInteger()
            default: version = try value.optionalInteger()
            }
        }
        guard let account, let balances else { throw FastPathDeclined() }
        self.init(account: account, balances: balances, margin: margin, margins: margins, version: version, sequence: sequence,
                  sinceSequence: sinceSequence, orders: orders)
    }
}

extension AssetBalancePayload: FastWireCodable {
    private static let keys = JSONKeyTable("amount", "asset", "available", "reserved")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.decimal("amount", amount)
        object.string("asset", asset)
        object.decimal("available", available)
        object.decimal("reserved", reserved)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var amount: WireDecimal?, asset: String?, available: WireDecimal?, reserved: WireDecimal?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: amount = try value.decimal()
            case 1: asset = try value.recurringString()
            case 2: available = try value.decimal()
            default: reserved = try value.decimal()
            }
        }
        guard let amount, let asset, let available, let reserved else { throw FastPathDeclined() }
        self.init(asset: asset, amount: amount, reserved: reserved, available: available)
    }
}

extension MarginPayload: FastWireCodable {
    private static let keys = JSONKeyTable("available_margin", "collateral_asset", "equity", "liquidation_prices", "maintenance_margin",
                                           "margin_used", "max_leverage")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.decimal("available_margin", availableMargin)
        object.string("collateral_asset", collateralAsset)
        object.decimal("equity", equity)
        object.decimalsByName("liquidation_prices", liquidationPrices)
        object.decimal("maintenance_margin", maintenanceMargin)
        object.decimal("margin_used", marginUsed)
        object.integer("max_leverage", maxLeverage)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var availableMargin: WireDecimal?, collateralAsset: String?, equity: WireDecimal?, liquidationPrices: [String: WireDecimal]?
        var maintenanceMargin: WireDecimal?, marginUsed: WireDecimal?, maxLeverage: Int?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: availableMargin = try value.decimal()
            case 1: collateralAsset = try value.recurringString()
            case 2: equity = try value.decimal()
            case 3: liquidationPrices = try value.decimalsByName()
            case 4: maintenanceMargin = try value.decimal()
            case 5: marginUsed = try value.decimal()
            default: maxLeverage = try value.integer()
            }
        }
        guard let availableMargin, let collateralAsset, let equity, let liquidationPrices, let maintenanceMargin, let marginUsed,
              let maxLeverage else { throw FastPathDeclined() }
        self.init(collateralAsset: collateralAsset, maxLeverage: maxLeverage, equity: equity, marginUsed: marginUsed,
                  availableMargin: availableMargin, maintenanceMargin: maintenanceMargin, liquidationPrices: liquidationPrices)
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
            case 0: account = try value.recurringString()
            case 1: avgEntryPrice = try value.decimal()
            case 2: base = try value.decimal()
            case 3: baseAsset = try value.optionalRecurringString()
            case 4: effectiveInventory = try value.optionalDecimal()
            case 5: fees = try value.decimal()
            case 6: hedgeSuggestion = try value.optionalString()
            case 7: mark = try value.optionalDecimal()
            case 8: maxInventory = try value.optionalDecimal()
            case 9: overLimit = try value.optionalBool()
            case 10: pendingBuy = try value.optionalDecimal()
            case 11: pendingSell = try value.optionalDecimal()
            case 12: quote = try value.decimal()
            case 13: quoteAsset = try value.optionalRecurringString()
            case 14: realizedPnl = try value.decimal()
            case 15: symbol = try value.recurringString()
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

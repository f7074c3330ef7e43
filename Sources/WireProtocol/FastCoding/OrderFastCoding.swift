import WireFormat
import Trading

// Hand-written JSON forms of the order messages of a cycle. Each type's key table lists its
// wire names in byte order; `writeFastJSON` writes them in that order and `init(fastJSON:)`
// switches on their positions.

extension OrderSubmit: FastWireCodable {
    public static let fastJSON: FastJSONForm<OrderSubmit>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(OrderSubmit.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(OrderSubmit.self, from: message) })

    private static let keys = JSONKeyTable("account", "client_order_id", "price", "qty", "side", "symbol", "type")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        object.string("client_order_id", clientOrderId)
        object.optionalDecimal("price", price)
        object.decimal("qty", qty)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        object.rawValue("type", type)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, clientOrderId: String?, price: WireDecimal?, qty: WireDecimal?, side: Side?, symbol: String?, type: OrderType?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.recurringString()
            case 1: clientOrderId = try value.recurringString()
            case 2: price = try value.optionalDecimal()
            case 3: qty = try value.decimal()
            case 4: side = try value.wireEnum()
            case 5: symbol = try value.recurringString()
            default: type = try value.wireEnum()
            }
        }
        guard let account, let clientOrderId, let qty, let side, let symbol, let type else { throw FastPathDeclined() }
        self.init(clientOrderId: clientOrderId, account: account, symbol: symbol, side: side, type: type, qty: qty, price: price)
    }
}

extension ExecuteRequest: FastWireCodable {
    public static let fastJSON: FastJSONForm<ExecuteRequest>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(ExecuteRequest.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(ExecuteRequest.self, from: message) })

    private static let keys = JSONKeyTable("order")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.value("order", order)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var order: OrderSubmit?
        var members = try value.members(Self.keys)
        while let (_, value) = try members.next() { order = try value.value(OrderSubmit.self) }
        guard let order else { throw FastPathDeclined() }
        self.init(order: order)
    }
}

extension OrderReport: FastWireCodable {
    /// An ExecutionAgent answers `execute` with the report the MarketMaker gave it, whole.
    @inlinable
    package static var keepsReceivedJSON: Bool { true }

    public static let fastJSON: FastJSONForm<OrderReport>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(OrderReport.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(OrderReport.self, from: message) })

    private static let keys = JSONKeyTable("account", "account_version", "avg_price", "client_order_id", "filled_qty", "fills", "order_id",
                                           "qty", "reason", "reason_code", "side", "status", "symbol", "type", "venue_epoch")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        if let accountVersion { object.integer("account_version", accountVersion) }
        object.optionalDecimal("avg_price", avgPrice)
        object.string("client_order_id", clientOrderId)
        object.decimal("filled_qty", filledQty)
        try object.array("fills", fills)
        object.string("order_id", orderId)
        object.decimal("qty", qty)
        object.optionalString("reason", reason)
        object.optionalString("reason_code", reasonCode)
        object.rawValue("side", side)
        object.rawValue("status", status)
        object.string("symbol", symbol)
        object.rawValue("type", type)
        object.optionalString("venue_epoch", venueEpoch)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var accountVersion: UInt64?, venueEpoch: String?
        var account: String?, avgPrice: WireDecimal?, clientOrderId: String?, filledQty: WireDecimal?, fills: [FillPayload]?, orderId: String?
        var qty: WireDecimal?, reason: String?, reasonCode: String?, side: Side?, status: OrderStatus?, symbol: String?, type: OrderType?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.recurringString()
            case 1: accountVersion = try value.optionalInteger()
            case 2: avgPrice = try value.optionalDecimal()
            case 3: clientOrderId = try value.recurringString()
            case 4: filledQty = try value.decimal()
            case 5: fills = try value.array(of: FillPayload.self)
            case 6: orderId = try value.recurringString()
            case 7: qty = try value.decimal()
            case 8: reason = try value.optionalString()
            case 9: reasonCode = try value.optionalRecurringString()
            case 10: side = try value.wireEnum()
            case 11: status = try value.wireEnum()
            case 12: symbol = try value.recurringString()
            case 13: type = try value.wireEnum()
            default: venueEpoch = try value.optionalRecurringString()
            }
        }
        guard let account, let clientOrderId, let filledQty, let fills, let orderId, let qty, let side, let status, let symbol, let type
        else { throw FastPathDeclined() }
        // All members through one initialiser call: setting the last two after it made two
        // copies of the whole report.
        self.init(orderId: orderId, clientOrderId: clientOrderId, account: account, symbol: symbol, side: side, type: type, status: status,
                  qty: qty, filledQty: filledQty, avgPrice: avgPrice, fills: fills, reason: reason, reasonCode: reasonCode,
                  venueEpoch: venueEpoch, accountVersion: accountVersion)
    }
}

extension FillPayload: FastWireCodable {
    public static let fastJSON: FastJSONForm<FillPayload>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(FillPayload.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(FillPayload.self, from: message) })

    private static let keys = JSONKeyTable("account", "client_order_id", "fee", "order_id", "price", "qty", "side", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", account)
        object.string("client_order_id", clientOrderId)
        object.decimal("fee", fee)
        object.string("order_id", orderId)
        object.decimal("price", price)
        object.decimal("qty", qty)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var account: String?, clientOrderId: String?, fee: WireDecimal?, orderId: String?, price: WireDecimal?, qty: WireDecimal?, side: Side?
        var symbol: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: account = try value.recurringString()
            case 1: clientOrderId = try value.recurringString()
            case 2: fee = try value.decimal()
            case 3: orderId = try value.recurringString()
            case 4: price = try value.decimal()
            case 5: qty = try value.decimal()
            case 6: side = try value.wireEnum()
            default: symbol = try value.recurringString()
            }
        }
        guard let account, let clientOrderId, let fee, let orderId, let price, let qty, let side, let symbol else { throw FastPathDeclined() }
        self.init(orderId: orderId, clientOrderId: clientOrderId, account: account, symbol: symbol, side: side, price: price, qty: qty, fee: fee)
    }
}

import WireFormat
import Trading

/// `positions.get` (TradingDirector): the positions it has opened and is watching for exits.
public struct OpenPositionsQuery: RequestPayload, Hashable {
    public static var requestType: String { "positions.get" }
    public typealias Reply = OpenPositionsReport

    /// Only this symbol, when set.
    public var symbol: String?

    /// Creates a query.
    public init(symbol: String? = nil) { self.symbol = symbol }
}

/// `positions.get.ok`: every watched position.
public struct OpenPositionsReport: MessagePayload, Hashable {
    public var positions: [WatchedPositionPayload]

    /// Creates a report.
    public init(positions: [WatchedPositionPayload]) { self.positions = positions }
}

/// One scale-out target of a watched position and whether it has been taken.
public struct WatchedTargetPayload: MessagePayload, Hashable {
    public var price: WireDecimal
    public var qty: WireDecimal
    public var hit: Bool

    /// Creates a target.
    public init(price: WireDecimal, qty: WireDecimal, hit: Bool) {
        self.price = price
        self.qty = qty
        self.hit = hit
    }
}

/// A position the TradingDirector opened: what is left of it and the exits still armed.
public struct WatchedPositionPayload: MessagePayload, Hashable {
    public var openingSignalId: String
    public var openingTraceId: String
    public var account: String
    public var symbol: String
    /// `buy` for a long, `sell` for a short.
    public var side: Side
    /// Base units still open.
    public var remainingQty: WireDecimal
    /// Volume-weighted price of the open lots.
    public var entryPrice: WireDecimal
    public var stopPrice: WireDecimal
    public var targets: [WatchedTargetPayload]
    public var openedAtUs: Int64
    /// When the time stop closes what is left, if there is one.
    public var timeStopAtUs: Int64?

    enum CodingKeys: String, CodingKey {
        case openingSignalId = "opening_signal_id", openingTraceId = "opening_trace_id", account, symbol, side
        case remainingQty = "remaining_qty", entryPrice = "entry_price", stopPrice = "stop_price", targets
        case openedAtUs = "opened_at_us", timeStopAtUs = "time_stop_at_us"
    }

    /// Creates a row.
    public init(openingSignalId: String, openingTraceId: String, account: String, symbol: String, side: Side,
                remainingQty: WireDecimal, entryPrice: WireDecimal, stopPrice: WireDecimal, targets: [WatchedTargetPayload],
                openedAtUs: Int64, timeStopAtUs: Int64?) {
        self.openingSignalId = openingSignalId
        self.openingTraceId = openingTraceId
        self.account = account
        self.symbol = symbol
        self.side = side
        self.remainingQty = remainingQty
        self.entryPrice = entryPrice
        self.stopPrice = stopPrice
        self.targets = targets
        self.openedAtUs = openedAtUs
        self.timeStopAtUs = timeStopAtUs
    }
}

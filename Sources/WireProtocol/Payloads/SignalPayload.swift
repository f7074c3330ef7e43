import WireFormat
import Trading

/// `signal`: a request to trade `symbol` on `side`, published on `signal.<symbol>`.
public struct SignalPayload: MessagePayload, Hashable {
    public var symbol: String
    public var side: Side
    /// How sure the signal's author is, 0...1.
    public var confidence: Double
    /// Free text carried along for people reading traces.
    public var note: String?

    /// Creates a signal.
    public init(symbol: String, side: Side, confidence: Double, note: String? = nil) {
        self.symbol = symbol
        self.side = side
        self.confidence = confidence
        self.note = note
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.unit(confidence, "payload.confidence")
    }
}

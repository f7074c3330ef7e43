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
    /// How long the signal may wait to start its cycle, from the envelope's `ts`, in
    /// milliseconds (1 ms to 1 hour); absent: the director's `signal_ttl_ms`.
    public var ttlMs: Int?

    enum CodingKeys: String, CodingKey {
        case symbol, side, confidence, note, ttlMs = "ttl_ms"
    }

    /// Creates a signal.
    public init(symbol: String, side: Side, confidence: Double, note: String? = nil, ttlMs: Int? = nil) {
        self.symbol = symbol
        self.side = side
        self.confidence = confidence
        self.note = note
        self.ttlMs = ttlMs
    }

    public func validate() throws(ProtocolError) {
        try Check.name(symbol, "payload.symbol")
        try Check.unit(confidence, "payload.confidence")
        if let ttlMs, !(1...3_600_000).contains(ttlMs) {
            throw ProtocolError(.invalidValue, "field 'payload.ttl_ms' must be 1…3600000 ms, got \(ttlMs)")
        }
    }
}

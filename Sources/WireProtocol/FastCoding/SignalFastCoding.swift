import WireFormat
import Trading

// Hand-written JSON forms of a cycle's signal and of the opaque payload a header read uses.

extension SignalPayload: FastWireCodable {
    public static let fastJSON: FastJSONForm<SignalPayload>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(SignalPayload.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(SignalPayload.self, from: message) })

    private static let keys = JSONKeyTable("confidence", "note", "side", "symbol", "ttl_ms")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("confidence", confidence)
        object.optionalString("note", note)
        object.rawValue("side", side)
        object.string("symbol", symbol)
        if let ttlMs { object.integer("ttl_ms", ttlMs) }
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var confidence: Double?, note: String?, side: Side?, symbol: String?, ttlMs: Int?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: confidence = try value.double()
            case 1: note = try value.optionalString()
            case 2: side = try value.wireEnum()
            case 3: symbol = try value.recurringString()
            default: ttlMs = try value.optionalInteger()
            }
        }
        guard let confidence, let side, let symbol else { throw FastPathDeclined() }
        self.init(symbol: symbol, side: side, confidence: confidence, note: note, ttlMs: ttlMs)
    }
}

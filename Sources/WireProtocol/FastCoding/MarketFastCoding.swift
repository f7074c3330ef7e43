import WireFormat

// The hand-written JSON form of a market tick, which every agent that prices reads several times
// a second per symbol.

extension MarketTick: FastWireCodable {
    public static let fastJSON: FastJSONForm<MarketTick>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(MarketTick.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(MarketTick.self, from: message) })

    private static let keys = JSONKeyTable("ask", "bid", "last", "symbol")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("ask", ask)
        try object.double("bid", bid)
        try object.double("last", last)
        object.string("symbol", symbol)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var ask: Double?, bid: Double?, last: Double?, symbol: String?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: ask = try value.double()
            case 1: bid = try value.double()
            case 2: last = try value.double()
            default: symbol = try value.recurringString()
            }
        }
        guard let ask, let bid, let last, let symbol else { throw FastPathDeclined() }
        self.init(symbol: symbol, bid: bid, ask: ask, last: last)
    }
}

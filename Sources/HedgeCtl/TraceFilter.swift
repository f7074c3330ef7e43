import Tracing
import WireFormat
import WireProtocol

/// Which records `hedgectl trace` shows. With a symbol, a trace is followed once any of its
/// events names the symbol, so the hops of that cycle (which carry no symbol) are shown too.
struct TraceFilter: Sendable {
    var traceId: String?
    var types: Set<String> = []
    var symbol: String?
    var agent: String?
    var all = false
    private var tracesOfSymbol: Set<String> = []

    init(traceId: String?, types: Set<String>, symbol: String?, agent: String?, all: Bool) {
        self.traceId = traceId
        self.types = types
        self.symbol = symbol
        self.agent = agent
        self.all = all
    }

    mutating func accepts(_ record: TraceRecord) -> Bool {
        if let traceId, !record.traceId.hasPrefix(traceId) { return false }
        if let symbol {
            if record.symbol == symbol { tracesOfSymbol.insert(record.traceId) }
            guard tracesOfSymbol.contains(record.traceId) else { return false }
        }
        if !types.isEmpty, !types.contains(record.kind), !types.contains(record.type) { return false }
        if types.isEmpty, !all, record.isBackground { return false }
        if let agent, record.source != agent, record.payload["peer"]?.string != agent { return false }
        return true
    }
}

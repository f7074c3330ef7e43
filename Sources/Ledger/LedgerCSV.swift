import Trading

/// The ledger as CSV for `hedgectl ledger --csv`: a header, then one row per fill or
/// rejection in time order.
///
/// The inventory-log columns come first, in their usual order, so a reader of such logs
/// finds them where it expects; the rest identify the order and explain rejections.
/// Numbers are exact decimals, the shortest that hold the value ("0.1", "60000", "0.00001"),
/// never locale-formatted; a missing number is an empty cell. Text is quoted as RFC 4180
/// says.
public enum LedgerCSV {
    /// Column names, in order.
    public static let columns = [
        "timestamp", "event_type", "price", "amount", "base_inventory", "quote_inventory", "total_value",
        "account", "symbol", "side", "order_id", "client_order_id", "fee", "reason_code", "reason",
    ]

    /// The header line, without a line break.
    public static var header: String { columns.joined(separator: ",") }

    /// One event as a line, without a line break. `timestamp` is Unix microseconds.
    public static func row(_ event: LedgerEvent) -> String {
        [
            String(event.timestampMicros), event.kind.rawValue, number(event.price), number(event.qty),
            number(event.base), number(event.quote), number(event.totalValue),
            field(event.account), field(event.symbol), event.side.rawValue, field(event.orderId),
            field(event.clientOrderId), number(event.fee), field(event.reasonCode ?? ""), field(event.reason ?? ""),
        ].joined(separator: ",")
    }

    static func number<Kind>(_ value: FixedPoint<Kind>?) -> String {
        value?.description ?? ""
    }

    /// Quotes a field holding a comma, a quote or a line break, doubling its quotes.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

extension LedgerStore {
    /// Writes the header and every event to `output`, one line each ending in "\n", in
    /// time order, streaming from the database.
    public func writeCSV<Output: TextOutputStream>(to output: inout Output) throws {
        output.write(LedgerCSV.header + "\n")
        try queue.read { db in
            try Self.forEachEvent(db, kind: nil) { output.write(LedgerCSV.row($0) + "\n") }
        }
    }
}

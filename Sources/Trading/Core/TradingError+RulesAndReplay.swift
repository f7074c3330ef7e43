// Codes of the symbol rules and of tick replay; the wire form is the same snake_case string
// as every other code.
extension TradingError.Code {
    /// The order asks for less than the symbol's minimum quantity.
    public static let belowMinSize = TradingError.Code(rawValue: "below_min_size")
    /// The quantity is not a whole number of the symbol's lots.
    public static let offLot = TradingError.Code(rawValue: "off_lot")
    /// The order's cost, proceeds or resulting position is beyond the range of exact values.
    public static let amountOutOfRange = TradingError.Code(rawValue: "amount_out_of_range")
    /// The limit price is not a whole number of ticks.
    public static let offTick = TradingError.Code(rawValue: "off_tick")
    /// A replay file is malformed: header, number, ordering or a crossed quote.
    public static let invalidReplayData = TradingError.Code(rawValue: "invalid_replay_data")
}

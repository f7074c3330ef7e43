// The code of the FIFO trade matcher; the wire form is the same snake_case string as every
// other code.
extension TradingError.Code {
    /// A fee is not finite.
    public static let invalidFee = TradingError.Code(rawValue: "invalid_fee")
}

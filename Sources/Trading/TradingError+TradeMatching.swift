// A code added with the FIFO trade matcher. It lives in an extension so this work does
// not edit the shared code list; the wire form is the same snake_case string.
extension TradingError.Code {
    /// A fee is not finite.
    public static let invalidFee = TradingError.Code(rawValue: "invalid_fee")
}

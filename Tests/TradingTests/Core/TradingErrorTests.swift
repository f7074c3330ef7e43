import Foundation
import Testing
@testable import Trading

@Suite struct TradingErrorTests {
    @Test func codesAreSnakeCaseOnTheWire() {
        let codes: [TradingError.Code: String] = [
            .invalidQuantity: "invalid_quantity", .invalidPrice: "invalid_price",
            .unknownSymbol: "unknown_symbol", .unknownAccount: "unknown_account",
            .insufficientQuote: "insufficient_quote", .insufficientBase: "insufficient_base",
            .invalidConfig: "invalid_config", .duplicateOrder: "duplicate_order", .noQuote: "no_quote",
        ]
        for (code, raw) in codes { #expect(code.rawValue == raw) }
    }

    @Test func unknownCodesSurviveARoundTrip() throws {
        // Codes are open-ended: a newer peer's code must decode rather than fail.
        let error = TradingError(TradingError.Code(rawValue: "venue_halted"), "halted for auction")
        let json = try JSONEncoder().encode(error)
        #expect(String(decoding: json, as: UTF8.self).contains("\"venue_halted\""))
        #expect(try JSONDecoder().decode(TradingError.self, from: json) == error)
    }

    @Test func descriptionLeadsWithTheCode() {
        let error = TradingError(.insufficientBase, "sell needs 0.5 base")
        #expect(error.description == "insufficient_base: sell needs 0.5 base")
    }

    @Test func numberTextRoundsWithoutFoundation() {
        #expect(NumberText.money(6006) == "6006.00")
        #expect(NumberText.money(-0.004) == "0.00")
        #expect(NumberText.money(-12.345) == "-12.35")
        #expect(NumberText.percent(0.0019) == "0.19%")
        #expect(NumberText.money(.nan) == "nan")
    }
}

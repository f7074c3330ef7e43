import Testing
@testable import Trading

@Suite struct FixedPointTests {
    @Test func textIsParsedAndWrittenExactly() throws {
        #expect(try Quantity.parse("0.23364996").raw == 23_364_996)
        #expect(try Quantity.parse("0.23364996").description == "0.23364996")
        #expect(try Price.parse("60000.01").description == "60000.01")
        #expect(try Price.parse("2.5e3").description == "2500")
        #expect(try Money.parse("-0.5").description == "-0.5")
        #expect(try Money.parse("1.50000000").description == "1.5")
        #expect(try Quantity.parse("12e-8").raw == 12)
        #expect(Quantity(raw: .max).description == "92233720368.54775807")
        #expect(try Quantity.parse("92233720368.54775807") == Quantity(raw: .max))
    }

    @Test func textThatIsNotExactIsRefusedSayingWhy() {
        func message(_ text: String) -> String? {
            do { _ = try Quantity.parse(text); return nil } catch { return error.message }
        }
        #expect(message("1e-300") == "quantity 1e-300 has more than 8 decimals, finer than the smallest step")
        #expect(message("0.000000001") == "quantity 0.000000001 has more than 8 decimals, finer than the smallest step")
        #expect(message("0.30000000000000004")?.contains("more than 8 decimals") == true)
        #expect(message("92233720368.54775808") == "quantity 92233720368.54775808 is out of range")
        #expect(message("1e300") == "quantity 1e300 is out of range")
        #expect(message("abc") == "quantity \"abc\" is not a decimal number")
        #expect(message("") == "quantity \"\" is not a decimal number")
    }

    @Test func sumsAreExactWhereDoublesAreNot() {
        let a: Quantity = 0.1, b: Quantity = 0.2
        #expect(a + b == 0.3)
        #expect(0.1 + 0.2 != 0.3 as Double)
        #expect((a + b - 0.3).isZero)
    }

    @Test func overflowIsReportedNotTrapped() throws {
        #expect(throws: FixedPointError.self) { try Money(raw: .max).adding(Money(raw: 1)) }
        #expect(throws: FixedPointError.self) { try Money(raw: .min).subtracting(Money(raw: 1)) }
        #expect(throws: FixedPointError.self) { try Price(1_000_000).notional(Quantity(1_000_000)) }
        #expect(throws: FixedPointError.self) { try Quantity(rounding: .nan, .down) }
        #expect(throws: FixedPointError.self) { try Quantity(rounding: 1e300, .down) }
    }

    @Test func productsRoundOnceInTheStatedDirection() throws {
        // 60000.01 × 0.00000003 = 0.0018000003: below one unit of 1e-8 either way.
        let price: Price = 60_000.01, qty = Quantity(raw: 3)
        #expect(try price.notional(qty, .down) == Money(raw: 180_000))
        #expect(try price.notional(qty, .up) == Money(raw: 180_001))
        #expect(try price.notional(qty) == Money(raw: 180_000))
        // Exact products stay exact.
        #expect(try Price(100.07).notional(Quantity(3)) == 300.21)
        #expect(try Money(300.21).perUnit(Quantity(3)) == 100.07)
    }

    @Test func roundingToSteps() {
        let lot: Quantity = 0.001
        #expect(Quantity(0.23364996).roundedDown(toMultipleOf: lot) == 0.233)
        #expect(Quantity(0.23364996).roundedUp(toMultipleOf: lot) == 0.234)
        #expect(Quantity(-0.0015).roundedDown(toMultipleOf: lot) == -0.002)
        #expect(Quantity(0.0015).roundedToNearest(multipleOf: lot) == 0.002)
        #expect(Quantity(0.233).isMultiple(of: lot) && !Quantity(0.2331).isMultiple(of: lot))
    }

    @Test func feesAreRoundedUpToTheQuoteStep() throws {
        let rate = try #require(BasisPoints(10))
        // 10 bps of 120.09 is 0.12009: a venue with cent steps charges 0.13.
        #expect(try rate.fee(on: 120.09, step: 0.01) == 0.13)
        #expect(try rate.fee(on: 120.09, step: Money(raw: 1)) == 0.12009)
        #expect(try rate.fee(on: 100, step: 0.01) == 0.1)
        #expect(BasisPoints(0.00001) == nil && BasisPoints(-1) == nil && BasisPoints(2.5) != nil)
    }
}

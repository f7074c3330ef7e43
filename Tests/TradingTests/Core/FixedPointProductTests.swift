import Testing
@testable import Trading

/// Products and quotients of fixed-point values against the rule written out in 128 bits:
/// the exact rational, its floor and ceiling, and the rule's choice between them.
@Suite struct FixedPointProductTests {
    static let rules: [Rounding] = [.toNearestOrEven, .toNearestOrAwayFromZero, .up, .down, .towardZero, .awayFromZero]

    /// `a × b ÷ divisor` rounded under `rule`, computed from the floor and the fraction
    /// above it; nil past the `Int64` range.
    static func reference(_ a: Int64, _ b: Int64, over divisor: Int64, _ rule: Rounding) -> Int64? {
        let exact = Int128(a) * Int128(b)
        let divisor = Int128(divisor)
        var floor = exact / divisor
        if exact % divisor != 0, exact < 0 { floor -= 1 }
        let fraction = exact - floor * divisor
        let ceiling = fraction == 0 ? floor : floor + 1
        let result: Int128 = switch rule {
        case .down: floor
        case .up: ceiling
        case .towardZero: exact < 0 ? ceiling : floor
        case .awayFromZero: exact < 0 ? floor : ceiling
        case .toNearestOrAwayFromZero:
            2 * fraction < divisor ? floor : 2 * fraction > divisor ? ceiling : (exact < 0 ? floor : ceiling)
        case .toNearestOrEven:
            2 * fraction < divisor ? floor : 2 * fraction > divisor ? ceiling : (floor % 2 == 0 ? floor : ceiling)
        }
        return Int64(exactly: result)
    }

    /// Random values of every size: whole range, prices and quantities of ordinary orders,
    /// and values near the ends of the range.
    static func operand(_ random: inout some RandomNumberGenerator) -> Int64 {
        let magnitude: Int64 = switch Int.random(in: 0..<5, using: &random) {
        case 0: Int64.random(in: 0...Int64.max, using: &random)
        case 1: Int64.random(in: 0...10_000_000 * Price.scale, using: &random)
        case 2: Int64.random(in: 0...1_000 * Price.scale, using: &random)
        case 3: Int64.max - Int64.random(in: 0...1_000, using: &random)
        default: Int64.random(in: 0...Price.scale * 2, using: &random)
        }
        return Bool.random(using: &random) ? magnitude : -magnitude
    }

    @Test func notionalsMatchTheRuleWrittenOut() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let (price, qty) = (Self.operand(&random), Self.operand(&random))
            for rule in Self.rules {
                let expected = Self.reference(price, qty, over: Price.scale, rule)
                let notional = try? Price(raw: price).notional(Quantity(raw: qty), rule)
                #expect(notional?.raw == expected, "\(price) × \(qty) under \(rule)")
            }
        }
    }

    @Test func scalingByAnyFractionMatchesTheRuleWrittenOut() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let (value, numerator) = (Self.operand(&random), Self.operand(&random))
            let denominator = Bool.random(using: &random) ? Int64.random(in: 1...20_000, using: &random)
                                                          : Int64.random(in: 1...Int64.max, using: &random)
            for rule in Self.rules {
                let expected = Self.reference(value, numerator, over: denominator, rule)
                let scaled = try? Money(raw: value).scaled(by: numerator, over: denominator, rule)
                #expect(scaled?.raw == expected, "\(value) × \(numerator) ÷ \(denominator) under \(rule)")
            }
        }
    }

    @Test func anOrdinaryNotionalPast64BitsIsSplitNotDividedIn128Bits() throws {
        // 50,000 × 1.5 is 7.5 × 10²⁰ units of 10⁻¹⁶: past 64 bits, its quotient well inside.
        let (price, qty) = (Price(raw: 50_000 * Price.scale + 12_345_678), Quantity(raw: 150_000_001))
        #expect(price.raw.multipliedReportingOverflow(by: qty.raw).overflow)
        for rule in Self.rules {
            let split = try #require(FixedPointMath.splitProduct(price.raw, qty.raw, over: Price.scale, rule))
            #expect(split == Self.reference(price.raw, qty.raw, over: Price.scale, rule))
            #expect(FixedPointMath.splitProduct(-price.raw, qty.raw, over: Price.scale, rule)
                    == Self.reference(-price.raw, qty.raw, over: Price.scale, rule))
        }
        // 50,000.12345678 × 1.50000001 = 75,000.1856851712345678
        #expect(try price.notional(qty, .down) == Money(raw: 7_500_018_568_517))
        #expect(try price.notional(qty, .up) == Money(raw: 7_500_018_568_518))
        #expect(try (-price).notional(qty, .down) == Money(raw: -7_500_018_568_518))
    }

    @Test func atTheEndsOfTheRangeTheSplitStepsAside() {
        // A quotient at Int64.max that rounds up would leave the range: 128 bits decide.
        let a = Int64.max, b: Int64 = Price.scale + 1
        #expect(FixedPointMath.splitProduct(a, b, over: Price.scale + 1, .up) == nil)
        #expect(FixedPointMath.product(a, b, over: Price.scale + 1, .up) == Int64.max)
        #expect(FixedPointMath.product(a, b + 1, over: Price.scale + 1, .up) == nil)
    }

    @Test func doublesAreRoundedAsTheStandardLibraryRoundsThem() throws {
        let pairs: [(Rounding, FloatingPointRoundingRule)] = [
            (.toNearestOrEven, .toNearestOrEven), (.toNearestOrAwayFromZero, .toNearestOrAwayFromZero),
            (.up, .up), (.down, .down), (.towardZero, .towardZero), (.awayFromZero, .awayFromZero),
        ]
        let values: [Double] = [2.5, -2.5, 3.5, -3.5, 2.4999, -2.5001, 0, -0.0, 7, 1e300, .infinity, 0.1]
        for (rule, standard) in pairs {
            for value in values { #expect(rule.apply(to: value) == value.rounded(standard), "\(value) under \(rule)") }
            #expect(rule.apply(to: .nan).isNaN)
        }
        #expect(try Money(rounding: 0.123456785, .down).raw == 12_345_678)
        #expect(try Money(rounding: 0.123456785, .up).raw == 12_345_679)
    }
}

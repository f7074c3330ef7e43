import DecimalText
import Testing
@testable import Trading

/// Text written as bytes reads the same as the strings `NumberText` and `String` make.
@Suite struct ComposedTextTests {
    static let numbers: [Double] = [0, -0.0, 0.004, -0.004, 0.005, 1, -1, 0.5, 123.456, -98765.4321, 1e-9, 1e15, 9.1e15, -9.1e15,
                                    .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]

    @Test func numbersReadAsNumberTextWritesThem() {
        for value in Self.numbers {
            for decimals in [0, 1, 2, 8, 12, 20] {
                #expect(("\(fixed: value, decimals)" as ComposedText).string == NumberText.fixed(value, decimals), "\(value) to \(decimals)")
            }
            #expect(("\(price: value)" as ComposedText).string == NumberText.price(value), "price \(value)")
            #expect(("\(percent: value)" as ComposedText).string == NumberText.percent(value), "percent \(value)")
        }
    }

    @Test func wholeNumbersAndOtherValuesReadAsTheirDescriptions() {
        for value in [0, 7, -7, 10, 1_000_000, Int.max, Int.min] {
            #expect(("[\(value)]" as ComposedText).string == "[\(value)]")
        }
        let quantity: Quantity = 12.5
        #expect(("\(quantity) × \("BTC-USD") é" as ComposedText).string == "\(quantity) × BTC-USD é")
        // A log line's parts: plain doubles, and a text composed inside another.
        for value in Self.numbers {
            #expect(("c \(value)" as ComposedText).string == "c \(value)")
        }
        // Doubles are written by the number itself (`write(to:)`), not through `description`:
        // any bit pattern, finite or not, reads as its description.
        var generator = SeededGenerator(seed: 0xD0_B1E5)
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next())
            let scaled = Double(generator.next() % 1_000_000_000) / 1_000
            #expect(("\(value) \(scaled)" as ComposedText).string == value.description + " " + scaled.description)
        }
        let approved = true
        #expect(("assess: \(approved ? "approved \(quantity)" : "rejected" as ComposedText) — ok" as ComposedText).string
                == "assess: approved 12.5 — ok")
    }

    /// The decimal text as it was made before it was written into a buffer: strings joined.
    static func joinedRendering(_ units: Int64, decimals: Int, minimumFraction: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        var fraction = units.magnitude % divisor, width = decimals
        while width > minimumFraction, fraction % 10 == 0 { fraction /= 10; width -= 1 }
        let whole = (units < 0 ? "-" : "") + String(units.magnitude / divisor)
        guard width > 0 else { return whole }
        let digits = String(fraction)
        return whole + "." + String(repeating: "0", count: width - digits.count) + digits
    }

    @Test func fixedPointValuesReadAsTheirDescriptionAndPlaces() {
        var generator = SeededGenerator(seed: 0xDEC1_3A15)
        var raws: [Int64] = [0, 1, -1, 5, -5, 50, 99_999_999, 100_000_000, -100_000_000, 123_456_789, .max, .min, .min + 1]
        for _ in 0..<2_000 { raws.append(Int64(bitPattern: generator.next()) >> Int64(generator.next() % 60)) }
        for raw in raws {
            let value = Money(raw: raw)
            #expect(value.description == Self.joinedRendering(raw, decimals: 8, minimumFraction: 0))
            #expect(("\(value)" as ComposedText).string == value.description)
            for places in 0...8 where raw > Int64.min + 100_000_000 && raw < Int64.max - 100_000_000 {
                var full = Self.joinedRendering(value.rounded(places: places), decimals: 8, minimumFraction: 8)
                full.removeLast(8 - places)
                if full.hasSuffix(".") { full.removeLast() }
                #expect(value.text(places: places) == full, "\(raw) to \(places) places")
                #expect(("\(value, places: places)" as ComposedText).string == full)
            }
        }
        for decimals in [0, 1, 2, 18] {
            for raw in raws.prefix(13) {
                #expect(DecimalUnits.render(raw, decimals: decimals, minimumFraction: 0) == Self.joinedRendering(raw, decimals: decimals, minimumFraction: 0))
                #expect(DecimalUnits.render(raw, decimals: decimals, minimumFraction: decimals) == Self.joinedRendering(raw, decimals: decimals, minimumFraction: decimals))
            }
        }
    }

    @Test func partsAppendInOrder() {
        var text: ComposedText = "a"
        text.appendLiteral(", b")
        text.append(" \(3) \(fixed: 0.25, 1)")
        text.appendInterpolation(price: 0.5)
        #expect(text.string == "a, b 3 0.3" + "0.50000000")
    }
}

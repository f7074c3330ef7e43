import Testing
@testable import Trading

/// `NumberText.fixed` writes its digits into one buffer; every rendering must match the
/// digits worked out part by part (whole part, zero-padded fraction, sign).
@Suite struct NumberTextTests {
    /// The rendering as the parts give it: the whole units, a point, the fraction padded with
    /// zeros to `places`, a minus for a negative value that does not round to zero.
    static func byParts(_ value: Double, _ places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let units = Int64((abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero))
        let sign = value < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + String(units) }
        let fraction = String(units % scale)
        return sign + String(units / scale) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    @Test func everyRenderingMatchesItsParts() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -9...9, using: &random)
            let value = (Bool.random(using: &random) ? -1 : 1) * Double.random(in: 0..<10, using: &random) * pow10(magnitude)
            let places = Int.random(in: 0...8, using: &random)
            guard (abs(value) * pow10(Double(places))).rounded() < 9.0e15 else { continue }
            #expect(NumberText.fixed(value, places) == Self.byParts(value, places), "\(value) to \(places) places")
        }
    }

    @Test func edgesRenderAsBefore() {
        #expect(NumberText.fixed(0, 2) == "0.00")
        #expect(NumberText.fixed(-0.0, 0) == "0")
        #expect(NumberText.fixed(0.5, 0) == "1")
        #expect(NumberText.fixed(-0.004, 2) == "0.00")
        #expect(NumberText.fixed(-0.005, 2) == "-0.01")
        #expect(NumberText.fixed(123_456_789.123456789, 8) == "123456789.12345679")
        #expect(NumberText.fixed(1e-12, 12) == "0.000000000001")
        #expect(NumberText.fixed(2.5, 20) == "2.500000000000")
        #expect(NumberText.fixed(7, -3) == "7")
        #expect(NumberText.fixed(.infinity, 2) == "inf")
        #expect(NumberText.fixed(1e20, 2) == "\(1e20)")
    }

    private func pow10(_ exponent: Double) -> Double {
        var result = 1.0
        let steps = Int(exponent.rounded(.towardZero))
        for _ in 0..<abs(steps) { result = steps < 0 ? result / 10 : result * 10 }
        return result
    }
}

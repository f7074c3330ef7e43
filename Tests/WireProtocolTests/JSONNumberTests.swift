import Foundation
import Testing
@testable import WireFormat

/// The reader's Doubles: the exact fast path (an integer of digits of at most 2^53 scaled by a
/// power of ten of at most 22) and the 128-bit one (up to 19 digits, divided by up to 10^22 or
/// multiplied by up to 10^19) give bit for bit what the standard library's correctly rounded
/// parser gives, on either side of the limits, for the forms writers produce.
struct JSONNumberTests {
    static func read(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { JSONNumber.double($0) }
    }

    /// Whether `text` reads as the standard library reads it, bit for bit.
    static func agrees(_ text: String) -> Bool {
        guard let expected = Double(text), let read = read(text) else { return false }
        return read.bitPattern == expected.bitPattern
    }

    @Test func seededDoublesInTheFormsWritersUseReadAsTheStandardLibraryReadsThem() {
        var generator = SeededGenerator(seed: 0x5EED_0141)
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            // Magnitudes from 1e-25 to 1e25, so both sides of the fast path's 10^±22 are met.
            let value = Double.random(in: 1...10, using: &generator) * pow(10, Double(Int.random(in: -25...24, using: &generator)))
            let signed = Bool.random(using: &generator) ? -value : value
            // Swift's shortest form (up to 17 digits, 16 mostly), and fixed forms of 15 to 19
            // significant digits: each side of 2^53 and of the 19 digits a UInt64 holds.
            var forms = ["\(signed)"]
            for digits in 15...19 { forms.append(String(format: "%.\(digits - 1)e", signed)) }
            forms.append(String(format: "%.10f", signed))
            disagreements += forms.filter { !Self.agrees($0) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// 17 to 19 digits above 2^53, divided by 10^1 ... 10^22 or multiplied by 10^0 ... 10^19 as
    /// 128-bit integers and rounded by hand: every exponent of both ranges and each side of them.
    @Test func digitsAbove2To53ReadAsTheStandardLibraryReadsThemAtEveryScale() {
        var generator = SeededGenerator(seed: 0x5EED_0154)
        var disagreements: [String] = []
        for scale in -24...21 {
            for _ in 0..<400 {
                let digits = Int.random(in: 17...19, using: &generator)
                var mantissa = String(UInt64.random(in: 1...9, using: &generator))
                for _ in 1..<digits { mantissa += String(UInt64.random(in: 0...9, using: &generator)) }
                let text = (Bool.random(using: &generator) ? "-" : "") + mantissa + "e\(scale)"
                if !Self.agrees(text) { disagreements.append(text) }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Numbers exactly halfway between two Doubles go to the one with an even last bit; a hair
    /// above or below goes to the nearer one.
    @Test func tiesGoToEvenAndNearTiesToTheNearer() {
        let cases: [(String, Double)] = [
            ("9007199254740993", 9007199254740992), ("9007199254740995", 9007199254740996),
            ("9007199254740993.0", 9007199254740992), ("9007199254740995.0", 9007199254740996),
            ("9007199254740993.1", 9007199254740994), ("9007199254740992.9", 9007199254740992),
            ("18014398509481986", 18014398509481984), ("18014398509481990", 18014398509481992),
            ("18014398509481987", 18014398509481988), ("-9007199254740993", -9007199254740992),
        ]
        #expect(cases.filter { Self.read($0.0)?.bitPattern != $0.1.bitPattern }.map(\.0) == [])
        #expect(cases.filter { !Self.agrees($0.0) }.map(\.0) == [])
    }

    @Test func theLimitsOfTheFastPath() {
        let cases = [
            "9007199254740992", "9007199254740993", "9007199254740993e-5", "9007199254740991e22", "9007199254740992e-22",
            "9007199254740993e-22", "1234567890123456789e-3", "12345678901234567890e-3", "0.000000000000000000001234567890123456",
            "4.999999999728338e-07", "7.001398696115319e-06", "-1.100241760367069e-06", "1e22", "1e23", "1e-22", "1e-23",
            "123456789012345678e5", "0.1", "-0.0", "100.000000000000000000",
        ]
        #expect(cases.filter { !Self.agrees($0) } == [])
        // Past what a Double holds: not representable, as Foundation has it.
        #expect(Self.read("1e400") == nil && Self.read("1e-400") == nil)
        #expect(Self.read("0e-400") == 0)
    }
}

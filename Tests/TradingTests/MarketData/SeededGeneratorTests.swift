import Testing
@testable import Trading

@Suite struct SeededGeneratorTests {
    @Test func matchesReferenceXoshiro256StarStar() {
        // Reference values from an independent Python implementation of splitmix64 +
        // xoshiro256** (state = four splitmix64 outputs from seed 0).
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0x99EC_5F36_CB75_F2B4)
        #expect(generator.next() == 0xBF6E_1F78_4956_452A)
        #expect(generator.next() == 0x1A5F_849D_4933_E6E0)
    }

    @Test func sameSeedSameSequenceDifferentSeedDifferent() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        var other = SeededGenerator(seed: 43)
        let a = (0..<1000).map { _ in first.next() }
        let b = (0..<1000).map { _ in second.next() }
        let c = (0..<1000).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
    }

    @Test func gaussiansRepeatForASeed() {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let a = (0..<101).map { _ in first.nextGaussian() }
        let b = (0..<101).map { _ in second.nextGaussian() }
        #expect(a == b)
        #expect(Set(a).count == a.count)
    }

    @Test func gaussianHasUnitMomentsAndUnitIntervalStaysInRange() {
        var generator = SeededGenerator(seed: 2024)
        let samples = (0..<100_000).map { _ in generator.nextGaussian() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
        // Standard error of the mean is 1/√100000 ≈ 0.003, of the variance ≈ 0.0045.
        #expect(abs(mean) < 0.015)
        #expect(abs(variance - 1) < 0.025)
        let units = (0..<10_000).map { _ in generator.nextUnit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test func worksWithStandardLibraryRandomAPIs() {
        var first = SeededGenerator(seed: 5)
        var second = SeededGenerator(seed: 5)
        #expect(Int.random(in: 0..<1_000_000, using: &first) == Int.random(in: 0..<1_000_000, using: &second))
    }
}

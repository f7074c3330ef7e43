import Testing
@testable import Trading

/// The set a valuation counts assets with: the same answers as a `Set`, both while its names are
/// compared one by one and after it has moved them into a hash set.
@Suite struct DistinctNamesTests {
    @Test func answersAsASetDoesOnEitherSideOfTheLinearLimit() {
        var random = SeededGenerator(seed: 148)
        let pool = (0..<(3 * DistinctNames.linearLimit)).map { "A\($0)" }
        var spilled = 0
        for _ in 0..<200 {
            var names = DistinctNames(capacity: Int.random(in: 0...8, using: &random))
            var reference = Set<String>()
            for _ in 0..<Int.random(in: 1...80, using: &random) {
                let name = pool.randomElement(using: &random)!
                #expect(names.insert(name) == reference.insert(name).inserted, "\(name) after \(reference.count) names")
            }
            if reference.count > DistinctNames.linearLimit { spilled += 1 }
        }
        // Both sides of the limit are reached.
        #expect(spilled >= 50 && spilled <= 150, "\(spilled) of 200 runs past the limit")
    }
}

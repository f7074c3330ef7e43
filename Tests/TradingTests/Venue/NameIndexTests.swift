import Testing
@testable import Trading

@Suite struct NameIndexTests {
    /// Short lists are scanned, long ones hashed; either way a name is found by `==`, so a
    /// differently composed spelling of a name finds it too, exactly as a Dictionary does.
    @Test(arguments: [3, 8, 9, 40])
    func findsWhatADictionaryFinds(count: Int) {
        let names = ["caf\u{E9}"] + (1..<count).map { "name-\($0)" }
        var numbers: [String: Int] = [:]
        for (number, name) in names.enumerated() { numbers[name] = number }
        let index = NameIndex(names, numbers: numbers)
        let probes = names + ["cafe\u{301}", "cafe", "", "name-\(count)", "NAME-1"]
        for probe in probes {
            #expect(index[probe] == numbers[probe], "\(probe)")
        }
        #expect(index["cafe\u{301}"] == 0)
    }
}

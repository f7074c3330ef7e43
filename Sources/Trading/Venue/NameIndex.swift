/// The number of each account or symbol name: its position in configuration order.
///
/// A venue has a handful of accounts and symbols, and every order looks up one of each. A
/// short list is scanned: comparing a name with an equal one costs a few instructions,
/// while a `Dictionary` hashes the name first, which costs more than the rest of the
/// lookup. Longer lists go through the dictionary. Both find a name by `==`, and names
/// are unique by `==`, so both give the same answer.
struct NameIndex: Sendable {
    /// Scanned up to this many names.
    private static let scanLimit = 8

    private let names: [String]
    private let numbers: [String: Int]

    /// Numbers `names`, which must be unique by `==` (checked by the caller as it builds
    /// `numbers`, which maps each name to its position).
    init(_ names: [String], numbers: [String: Int]) {
        self.names = names
        self.numbers = numbers
    }

    /// The number of `name`, nil if it is not listed.
    subscript(name: String) -> Int? {
        guard names.count <= Self.scanLimit else { return numbers[name] }
        for index in names.indices where names[index] == name { return index }
        return nil
    }
}

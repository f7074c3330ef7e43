import Foundation

/// A set of CPUs a process may run on, written as `taskset -c` and the kernel's
/// `Cpus_allowed_list` write them: numbers and inclusive ranges joined by commas (`0`, `0-3`,
/// `0,2-3`).
public struct CPUList: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The CPUs, ascending, each once.
    public let cpus: [Int]

    /// The highest CPU number a list may name: the kernel's `CPU_SETSIZE` less one.
    public static let highestCPU = 1_023

    /// Reads `text`; an empty list, a piece that is not a number or a range, a range that runs
    /// backwards, or a CPU above `highestCPU` is refused with the reason.
    public init(parsing text: String) throws(CPUListError) {
        var cpus = Set<Int>()
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = piece.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                throw CPUListError("'\(text)' is not a CPU list like 0, 0-3 or 0,2-3")
            }
            guard low <= high else { throw CPUListError("'\(text)': the range \(low)-\(high) runs backwards") }
            guard high <= Self.highestCPU else { throw CPUListError("'\(text)': CPU \(high) is above \(Self.highestCPU)") }
            cpus.formUnion(low...high)
        }
        self.cpus = cpus.sorted()
    }

    /// The list of `cpus` (any order, repeats dropped).
    public init(_ cpus: some Sequence<Int>) {
        self.cpus = Set(cpus).sorted()
    }

    /// Decodes the list from its text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// The list in its shortest form, runs of consecutive CPUs as ranges (`0-2,5`).
    public var description: String {
        var pieces: [String] = []
        var index = cpus.startIndex
        while index < cpus.endIndex {
            var end = index
            while end + 1 < cpus.endIndex, cpus[end + 1] == cpus[end] + 1 { end += 1 }
            pieces.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return pieces.joined(separator: ",")
    }
}

/// Why a text is not a CPU list.
public struct CPUListError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, quoting the text.
    public let description: String

    init(_ description: String) { self.description = description }
}

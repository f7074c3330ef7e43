import Foundation

/// A member of a payload that its sender may have written already with the member's own
/// hand-written form, carried with the payload so that encoding the payload appends those
/// bytes instead of writing the member again. Not part of the payload's value: any two are
/// equal and hash alike, written or not, and `Codable` never sees them (the payload leaves
/// them out of its coding keys).
public struct WrittenMember: Sendable, Hashable {
    /// What the member's `writeFastJSON(to:)` wrote; nil when nothing is written yet.
    public let json: Data?

    /// The bytes `json`, or none.
    package init(json: Data? = nil) { self.json = json }

    public static func == (lhs: Self, rhs: Self) -> Bool { true }

    public func hash(into hasher: inout Hasher) {}
}

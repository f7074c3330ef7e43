/// Which way an analysis leans.
public enum Direction: String, Sendable, Codable, Hashable, CaseIterable {
    case long
    case short
    case flat
}

/// The coding key of an array element, as Foundation names it (`Index 3`, int value 3).
struct IndexCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.init(intValue) }
}

/// How a value is reached from its container: by member name or by element position.
enum PathComponent {
    case key(any CodingKey)
    case index(Int)

    var codingKey: any CodingKey {
        switch self {
        case .key(let key): key
        case .index(let index): IndexCodingKey(index)
        }
    }
}

/// Something that knows its coding path as a chain of parents; the path is only built when
/// asked for (errors, or user code reading `codingPath`).
protocol CodingPathLink: AnyObject {
    var parentLink: Self? { get }
    var component: PathComponent? { get }
}

extension CodingPathLink {
    /// The components from the root to this link.
    var linkedCodingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var link: Self? = self
        while let current = link {
            if let component = current.component { path.append(component.codingKey) }
            link = current.parentLink
        }
        return path.reversed()
    }
}

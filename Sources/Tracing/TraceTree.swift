import WireFormat
import WireProtocol

/// One cycle as a tree: events nest under the message that caused them, and each req/rep hop
/// (merged from its client-side and server-side trace events) nests under what sent it.
public struct TraceTree: Sendable {
    /// A req/rep hop seen from both sides.
    public struct Hop: Sendable, Hashable {
        public var requestType: String
        public var caller: String
        public var callee: String
        public var outcome: String
        public var attempts: Int
        public var detail: String?
        /// Time the handler took, from the server's own trace event.
        public var servedUs: Int64?
    }

    /// A node: an event or a hop, with what it caused.
    public struct Node: Sendable {
        public enum Content: Sendable {
            case event(TraceRecord)
            case hop(Hop)
        }
        public var id: String
        public var parentId: String?
        public var startUs: Int64
        public var endUs: Int64
        public var content: Content
        public var children: [Node] = []
    }

    public let traceId: String
    /// Top-level nodes (normally the signal), in time order.
    public let roots: [Node]
    public let startUs: Int64
    public let endUs: Int64

    /// Builds the tree of `traceId` from any records (others are ignored, as are heartbeats,
    /// market ticks and tick-round account events). Nil when the trace has no records.
    public init?(traceId: String, records: [TraceRecord]) {
        let mine = records.filter { $0.traceId == traceId && !$0.isBackground }
        guard !mine.isEmpty else { return nil }
        var nodes: [String: Node] = [:]
        var order: [String] = []
        func add(_ node: Node) {
            if nodes[node.id] == nil { order.append(node.id) }
            nodes[node.id] = node
        }
        for record in mine where record.type != EventType.trace {
            add(Node(id: record.id, parentId: record.parentId, startUs: record.ts, endUs: record.ts, content: .event(record)))
        }
        for (requestId, sides) in Dictionary(grouping: mine.filter { $0.type == EventType.trace }, by: { $0.payload["request_id"]?.string ?? $0.id }) {
            add(Self.hop(requestId: requestId, sides: sides))
        }
        // Attach children bottom-up: a node whose parent is absent from the trace is a root.
        var children: [String: [String]] = [:]
        var rootIDs: [String] = []
        for id in order {
            if let parent = nodes[id]?.parentId, nodes[parent] != nil, parent != id { children[parent, default: []].append(id) } else { rootIDs.append(id) }
        }
        func build(_ id: String, depth: Int) -> Node {
            var node = nodes[id]!
            if depth < 64 {
                node.children = (children[id] ?? []).map { build($0, depth: depth + 1) }.sorted { $0.startUs < $1.startUs }
            }
            return node
        }
        self.traceId = traceId
        roots = rootIDs.map { build($0, depth: 0) }.sorted { $0.startUs < $1.startUs }
        startUs = nodes.values.map(\.startUs).min() ?? 0
        endUs = nodes.values.map(\.endUs).max() ?? 0
    }

    /// What the records of `traceId` hold that a tree leaves out, when they hold nothing else
    /// (a tree of them is nil): how many of each background kind, most first, as
    /// "2 market ticks and 1 account event". Nil when the trace has a cycle's records, or none.
    public static func backgroundOnly(traceId: String, records: [TraceRecord]) -> String? {
        let mine = records.filter { $0.traceId == traceId }
        guard !mine.isEmpty, mine.allSatisfy(\.isBackground) else { return nil }
        let counts = Dictionary(grouping: mine, by: \.kind).map { (kind: $0.key, count: $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.kind < $1.kind }
        let parts = counts.map { "\($0.count) \(backgroundName(of: $0.kind))\($0.count == 1 ? "" : "s")" }
        return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    private static func backgroundName(of kind: String) -> String {
        switch kind {
        case EventType.market: "market tick"
        case EventType.account: "account event"
        case EventType.heartbeat: "heartbeat"
        default: "\(kind) event"
        }
    }

    private static func hop(requestId: String, sides: [TraceRecord]) -> Node {
        let client = sides.first { $0.payload["role"]?.string == "client" }
        let server = sides.first { $0.payload["role"]?.string == "server" }
        let main = client ?? server!
        let p = main.payload
        let start = Int64(p["start_us"]?.number ?? Double(main.ts))
        let end = Int64(p["end_us"]?.number ?? Double(main.ts))
        let served = server.map { Int64(($0.payload["end_us"]?.number ?? 0) - ($0.payload["start_us"]?.number ?? 0)) }
        let hop = Hop(requestType: p["request_type"]?.string ?? "?",
                      caller: client?.source ?? server?.payload["peer"]?.string ?? "?",
                      callee: server?.source ?? client?.payload["peer"]?.string ?? "?",
                      outcome: p["outcome"]?.string ?? "?", attempts: Int(p["attempts"]?.number ?? 1),
                      detail: p["detail"]?.string, servedUs: served)
        return Node(id: requestId, parentId: p["request_parent_id"]?.string, startUs: start, endUs: end, content: .hop(hop))
    }

    /// The first record of `type` anywhere in the tree.
    public func first(_ type: String) -> TraceRecord? {
        func search(_ nodes: [Node]) -> TraceRecord? {
            for node in nodes {
                if case .event(let record) = node.content, record.type == type { return record }
                if let found = search(node.children) { return found }
            }
            return nil
        }
        return search(roots)
    }

    /// Every node, depth first.
    public var allNodes: [Node] {
        func walk(_ nodes: [Node]) -> [Node] { nodes.flatMap { [$0] + walk($0.children) } }
        return walk(roots)
    }
}

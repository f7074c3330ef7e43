import Foundation
import HedgeBusTesting
import WireFormat
import WireProtocol

/// Runs `Interop/validate_messages.py` (PyYAML + jsonschema) over captured envelopes and reads
/// its one-line JSON summary.
struct SchemaValidation {
    /// docs/asyncapi.yaml.
    static let document = repositoryRoot.appendingPathComponent("docs/asyncapi.yaml").path
    /// The Python helpers next to the other cross-language scripts.
    static let interop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop")
    static let proxyScript = interop.appendingPathComponent("capture_proxy.py").path
    private static let validatorScript = interop.appendingPathComponent("validate_messages.py").path
    private static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every envelope type the code defines: the bus events, `error`, and each request with its reply.
    static let codeTypes: [String] = {
        let events = [EventType.signal, EventType.decision, EventType.analysis, EventType.risk, EventType.order, EventType.fill,
                      EventType.inventory, EventType.market, EventType.exit, EventType.quote, EventType.hedge,
                      EventType.heartbeat, EventType.trace, EventType.error]
        let requests: [any RequestPayload.Type] = [PingRequest.self, MetricsRequest.self, AnalyzeRequest.self, AssessRequest.self,
                                                   ExecuteRequest.self, OrderSubmit.self, OrderCancel.self, OrderReplace.self,
                                                   InventoryQuery.self, OpenPositionsQuery.self]
        return events + requests.flatMap { [$0.requestType, $0.replyType] }
    }()

    /// The codes a source folder declares as `Code(rawValue: "…")`, e.g. every `TradingError` code.
    static func declaredCodes(under folder: String) throws -> Set<String> {
        let root = repositoryRoot.appendingPathComponent(folder)
        let pattern = try Regex(#"Code\(rawValue: "([a-z_]+)"\)"#)
        var codes = Set<String>()
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let code = match.output[1].substring { codes.insert(String(code)) }
            }
        }
        return codes
    }

    /// What the validator printed.
    struct Summary {
        let exitStatus: Int32?
        let ok: Bool
        let messages: Int
        let byType: [String: Int]
        let mutants: Int
        let errors: [String]
        let survivors: [String]
        let output: String
    }

    /// Validates `files` (envelopes, one per line) in `processes`, bounded by `timeout`.
    static func run(_ files: [String], expectTypes: [String] = [], expectEnums: [String: [String]] = [:], requireSeen: [String] = [],
                    mutants: Bool = false, in processes: ProcessGroup, timeout: Duration = .seconds(120)) async throws -> Summary {
        var arguments = ["python3", validatorScript, document]
        if !expectTypes.isEmpty { arguments += ["--expect-types", expectTypes.joined(separator: ",")] }
        for (schema, values) in expectEnums.sorted(by: { $0.key < $1.key }) {
            arguments += ["--expect-enum", "\(schema)=\(values.joined(separator: ","))"]
        }
        if !requireSeen.isEmpty { arguments += ["--require-seen", requireSeen.joined(separator: ",")] }
        if mutants { arguments.append("--mutants") }
        let handle = try processes.start(path: "/usr/bin/env", arguments + files)
        let status = await processes.exitStatus(handle, within: timeout)
        let output = processes.log(handle)
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let summary = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("the validator printed no summary (exit \(status.map(String.init) ?? "none")):\n\(output)")
        }
        return Summary(exitStatus: status, ok: summary["ok"] as? Bool ?? false, messages: summary["messages"] as? Int ?? 0,
                       byType: summary["by_type"] as? [String: Int] ?? [:], mutants: summary["mutants"] as? Int ?? 0,
                       errors: summary["errors"] as? [String] ?? [], survivors: summary["survivors"] as? [String] ?? [],
                       output: output)
    }

    /// Writes envelopes (or any JSON lines) to a fresh file in `directory`.
    static func write(_ lines: [Data], named name: String, in directory: String) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(lines.map { $0 + Data("\n".utf8) }.joined()).write(to: URL(fileURLWithPath: path))
        return path
    }
}

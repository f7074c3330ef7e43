import Foundation
import HedgeBusTesting
import Testing

@Suite("Cross-language protocol", .serialized, .timeLimit(.minutes(3)))
struct InteropTests {
    /// A Python client written from docs/PROTOCOL.md alone drives a real topology.
    @Test func pythonClientSpeaksTheWireProtocol() async throws {
        try await RunningTopology.run(extra: pipelineSections) { running in
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop/protocol_client.py").path
            let topology = running.topology
            let client = try running.processes.start(path: "/usr/bin/env", [
                "python3", script, topology.bus.publish, topology.bus.subscribe,
                try topology.endpoint(of: .marketMaker).endpoint, "BTC-USD",
            ])
            let status = await running.processes.exitStatus(client, within: .seconds(60))
            let output = running.processes.log(client)
            #expect(status == 0, "python client failed:\n\(output)")
            let line = try #require(output.split(separator: "\n").last { $0.hasPrefix("{") })
            let summary = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(summary?["ok"] as? Bool == true)
            #expect(["filled", "rejected"].contains(summary?["outcome"] as? String ?? ""))
            #expect(summary?["positions"] as? Int == 1)
            #expect(summary?["error_code"] as? String == "malformed_json")
        }
    }
}

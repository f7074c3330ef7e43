import Configuration
import Foundation
import Testing

/// The topology's `otlp` section: where agents push their spans.
@Suite struct OTLPSectionTests {
    private func load(_ otlp: String) throws(TopologyError) -> Topology {
        try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents), \"otlp\": \(otlp)}")
    }

    @Test func withoutASectionNothingIsPushed() throws {
        #expect(try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents)}").otlp == nil)
    }

    @Test func anEndpointGetsDefaultsAndItsParts() throws {
        let otlp = try #require(try load(#"{"endpoint": "http://collector.local:4318/v1/traces"}"#).otlp)
        #expect(otlp.intervalMs == 1_000 && otlp.maxQueue == 8_192 && otlp.maxBatch == 1_024 && otlp.timeoutMs == 2_000)
        #expect(otlp.target == OTLPSection.Target(host: "collector.local", port: 4318, path: "/v1/traces"))
        #expect(OTLPSection(endpoint: "http://127.0.0.1").target == OTLPSection.Target(host: "127.0.0.1", port: 80, path: "/"))
    }

    @Test func statedValuesReplaceDefaults() throws {
        let otlp = try #require(try load(#"{"endpoint": "http://127.0.0.1:4318/v1/traces", "interval_ms": 250, "max_queue": 10, "max_batch": 5, "timeout_ms": 300}"#).otlp)
        #expect(otlp.intervalMs == 250 && otlp.maxQueue == 10 && otlp.maxBatch == 5 && otlp.timeoutMs == 300)
    }

    @Test(arguments: [(#"{"endpoint": "https://127.0.0.1:4318/v1/traces"}"#, "otlp.endpoint"),
                      (#"{"endpoint": "127.0.0.1:4318"}"#, "otlp.endpoint"),
                      (#"{"endpoint": "http://127.0.0.1:4318/v1/traces", "interval_ms": 0}"#, "otlp.interval_ms"),
                      (#"{"endpoint": "http://127.0.0.1:4318/v1/traces", "max_queue": 0}"#, "max_queue"),
                      (#"{"interval_ms": 100}"#, "endpoint")])
    func anUnusableSectionIsRefusedNamingTheField(json: String, mentions: String) {
        let error = #expect(throws: TopologyError.self) { try load(json) }
        #expect(error?.description.contains(mentions) == true, "\(error?.description ?? "")")
    }

    @Test func topologyCheckNamesAMistypedKeyOfTheSection() {
        let json = "{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents), \"otlp\": {\"endpoint\": \"http://127.0.0.1:4318/v1/traces\", \"intervall_ms\": 5}}"
        let unknown = TopologyCheck.findings(data: Data(json.utf8)).filter { $0.kind == .unknownKey }.map(\.path)
        #expect(unknown == ["otlp.intervall_ms"])
    }
}

import Configuration
import Testing
@testable import AgentRuntime
@testable import Messaging

/// The request servers of the agents whose handlers leave work for after their replies are bound
/// to yield after them (`AgentWiring.yieldsAfterReplies`): the MarketMaker (a filled order's
/// events), the RiskManager (the `risk` event and the log line) and the ExecutionAgent (the
/// `order` event and the log line). The QuantAnalyst, and an agent whose wiring does not ask,
/// are bound without.
@Suite("Which agents' servers yield after their replies", .timeLimit(.minutes(1)))
struct ReplyYieldWiringTests {
    /// The socket of the request server that `AgentHost.assemble` binds for `agent` with `wire`.
    static func serverSocket(_ agent: AgentName, wire: @escaping (AgentNode, Topology) async throws -> AgentWiring) async throws -> SocketHandle? {
        var socket: SocketHandle?
        try await NodeOnBus.run(agent: agent.rawValue) { node, topology, _ in
            let services = try await AgentHost.assemble(agent, node: node) { try await wire($0, topology) }
            socket = services.compactMap { ($0 as? RequestServing)?.server.socket }.first
        }
        return socket
    }

    @Test func theMarketMakersServerYieldsAfterItsReplies() async throws {
        let socket = try await Self.serverSocket(.marketMaker) { node, topology in
            let venueState = try await AgentWiring.openVenue(topology: topology, ledger: nil, logger: node.logger)
            return try await AgentWiring.marketMaker(on: node, venueState: venueState)
        }
        #expect(try #require(socket).yieldsAfterSends)
    }

    @Test func theRiskManagersServerYieldsAfterItsReplies() async throws {
        let socket = try await Self.serverSocket(.riskManager) { node, _ in try await AgentWiring.riskManager(on: node) }
        #expect(try #require(socket).yieldsAfterSends)
    }

    @Test func theExecutionAgentsServerYieldsAfterItsReplies() async throws {
        let socket = try await Self.serverSocket(.executionAgent) { node, _ in try await AgentWiring.executionAgent(on: node) }
        #expect(try #require(socket).yieldsAfterSends)
    }

    @Test func theQuantAnalystsServerIsBoundWithout() async throws {
        let socket = try await Self.serverSocket(.quantAnalyst) { node, _ in try await AgentWiring.quantAnalyst(on: node) }
        #expect(try #require(socket).yieldsAfterSends == false)
    }

    @Test func anAgentWhoseWiringDoesNotAskIsBoundWithout() async throws {
        let socket = try await Self.serverSocket(.riskManager) { _, _ in AgentWiring() }
        #expect(try #require(socket).yieldsAfterSends == false)
    }
}

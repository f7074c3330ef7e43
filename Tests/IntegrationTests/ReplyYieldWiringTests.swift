import Configuration
import Testing
@testable import AgentRuntime
@testable import Messaging

/// The MarketMaker's request server is bound to yield after its replies (its filled orders'
/// events follow them on the loop: `AgentWiring.yieldsAfterReplies`); an agent whose wiring
/// does not ask for it is bound without.
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

    @Test func anAgentWhoseWiringDoesNotAskIsBoundWithout() async throws {
        let socket = try await Self.serverSocket(.riskManager) { _, _ in AgentWiring() }
        #expect(try #require(socket).yieldsAfterSends == false)
    }
}

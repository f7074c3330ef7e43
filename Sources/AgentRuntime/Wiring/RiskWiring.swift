import Agents
import Configuration
import Messaging
import WireFormat
import WireProtocol

extension AgentWiring {
    /// The RiskManager on `node`: answers `assess` against the account as the MarketMaker's
    /// events (or, when one is due and late, an `inventory.get`) report it.
    public static func riskManager(on node: AgentNode) async throws -> AgentWiring {
        let topology = node.topology
        node.logger.info("risk preset \(topology.risk.preset): \(topology.risk.limits)")
        // Short attempts: when the MarketMaker does not answer, the RiskManager says so
        // before the director gives up on the RiskManager.
        let venue = try await node.client(for: .marketMaker,
                                          policy: RequestPolicy(attemptTimeout: .milliseconds(topology.riskVenueAttemptMs), attempts: 2))
        let risk = RiskManager(settings: topology.risk, accounts: topology.accounts, listed: topology.market.symbols.map(\.symbol),
                               ticks: Dictionary(topology.market.symbols.map { ($0.symbol, $0.tick) }) { first, _ in first },
                               quoteAssets: Dictionary(topology.market.symbols.compactMap { symbol in symbol.assets.map { (symbol.symbol, $0.quote) } })
                                   { first, _ in first },
                               venue: venue, publisher: node, logger: node.logger,
                               // The event of the version asked for is usually on its way through the bus: waiting
                               // a little for it costs less than an inventory.get round trip to the venue.
                               eventWait: AccountEventWait(limit: .milliseconds(5)) { delay, action in
                                   node.loop.schedule(at: .now.advanced(by: delay), action)
                               },
                               // An assessment asked ahead waits for its order to reach the venue, be
                               // committed and be named in an account event: the order's whole way.
                               orderWait: AccountEventWait(limit: .milliseconds(250)) { delay, action in
                                   node.loop.schedule(at: .now.advanced(by: delay), action)
                               })
        let accounts = try await node.subscribe([Topic.account("")], decoded: true)
        let venueBeats = try await node.subscribe([Topic.heartbeat(AgentName.marketMaker.rawValue)], decoded: true)
        var wiring = AgentWiring()
        // Answered as it is read when the book holds the account at the version asked for.
        wiring.handlers.on(AssessRequest.self, atOnce: { risk.assessAtOnce($0) }, awaiting: { try await risk.assess($0) })
        wiring.notes = { risk.notes() }
        // The `risk` event and the log line follow the reply on the loop (`afterPendingSends`).
        wiring.yieldsAfterReplies = true
        wiring.services = [
            LoopService {
                // A snapshot at start-up, so the view is whole before the first event arrives.
                await risk.refresh(because: "start-up")
                for await message in accounts {
                    guard let event = node.decode(InventorySnapshot.self, message) else { continue }
                    risk.apply(event.payload)
                }
            },
            LoopService {
                var watch = VenueRestartWatch(silence: .milliseconds(3 * topology.heartbeatMs))
                for await message in venueBeats {
                    guard let beat = node.decode(HeartbeatPayload.self, message) else { continue }
                    if let why = watch.beat(pid: beat.payload.pid, at: .now) { await risk.refresh(because: why) }
                }
            },
        ]
        return wiring
    }
}

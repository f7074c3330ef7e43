import Configuration
import Foundation
import Messaging
import Reporting
import WireFormat
import WireProtocol

extension CtlOptions {
    /// Each account's margin figures from the MarketMaker's `inventory.get` on `--topology`,
    /// or, when the topology cannot be read or the MarketMaker does not answer within
    /// `--timeout`, a report saying why.
    func marginReport() async -> MarginReport {
        let topology: Topology
        do {
            topology = try Topology.load(path: self.topology)
        } catch {
            return MarginReport(unavailable: "cannot read topology \(self.topology): \(error.description)")
        }
        let endpoint: String
        do {
            endpoint = try topology.endpoint(of: .marketMaker).endpoint
        } catch {
            return MarginReport(unavailable: "\(self.topology) names no MarketMaker endpoint: \(error)")
        }
        do {
            let policy = RequestPolicy(attemptTimeout: timeoutDuration, attempts: 1)
            let curve = try curve(to: AgentName.marketMaker.rawValue, on: topology)
            let snapshot = try await withMessageLoop { loop in
                let client = try await RequestClient.connect(loop: loop, peer: AgentName.marketMaker.rawValue, endpoint: endpoint,
                                                             source: "hedgectl", policy: policy, curve: curve)
                return try await client.request(InventoryQuery(), trace: .root()).payload
            }
            return MarginReport(accounts: snapshot.accounts ?? [])
        } catch let error as ProtocolError {
            return MarginReport(unavailable: "MarketMaker at \(endpoint): \(error.message)")
        } catch {
            return MarginReport(unavailable: "MarketMaker at \(endpoint): \(error)")
        }
    }
}

import Configuration
import Foundation
import Messaging
import WireFormat
import WireProtocol

/// The authorizer of an agent's request server on a CURVE topology: it applies `AccessRules`
/// to the identity the handshake established, and for order requests to the MarketMaker also
/// to the order's account.
enum RequestAccess {
    static func authorizer(for agent: AgentName, rules: AccessRules) -> RequestAuthorizer {
        { request in
            let type = request.header.type
            guard let identity = request.userId else {
                return ProtocolError(.unauthorized, "\(agent.rawValue) answers '\(type)' only on an authenticated connection")
            }
            if let refusal = rules.refusal(of: type, by: identity, to: agent) {
                return ProtocolError(.unauthorized, refusal)
            }
            guard agent == .marketMaker, rules.isOrderRequest(type) else { return nil }
            // Decoded as the handler will decode it, so the account judged is the account used.
            guard let account = account(of: request.body, type: type) else { return nil }
            guard rules.mayTrade(account: account) else {
                return ProtocolError(.unauthorized, "\(identity) may not call '\(type)' for account '\(account)' (it trades \(rules.executionAccounts.sorted().joined(separator: ", ")))")
            }
            return nil
        }
    }

    /// The account of an order request; nil when it does not decode (the handler then answers
    /// the decoding error itself).
    private static func account(of body: Data, type: String) -> String? {
        let codec = JSONEnvelopeCodec()
        switch type {
        case OrderSubmit.requestType: return try? codec.decode(OrderSubmit.self, from: body).payload.account
        case OrderCancel.requestType: return try? codec.decode(OrderCancel.self, from: body).payload.account
        case OrderReplace.requestType: return try? codec.decode(OrderReplace.self, from: body).payload.account
        default: return nil
        }
    }
}

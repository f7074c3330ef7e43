import Logging
import WireFormat
import WireProtocol

/// The ExecutionAgent's logic: turns an approved trade into an order at the MarketMaker and
/// reports what the venue did, also as an `order` event.
public struct ExecutionAgent: Sendable {
    let venue: any RequestSending
    let publisher: any EventPublishing
    let logger: Logger

    /// An agent placing orders at `venue`.
    public init(venue: any RequestSending, publisher: any EventPublishing, logger: Logger) {
        self.venue = venue
        self.publisher = publisher
        self.logger = logger
    }

    /// Answers an `execute` request: submits its order and returns the venue's report, with the
    /// bytes it came in when they were kept, so the reply passes them on rather than writing the
    /// report again. The `order` event and the log line follow once the reply has left
    /// (`afterPendingSends`).
    public func execute(_ request: Envelope<ExecuteRequest>) async throws -> CarriedPayload<OrderReport> {
        let trace = TraceContext.caused(by: request)
        let answered = CarriedPayload(try await venue.request(request.payload.order, trace: trace))
        let report = answered.payload
        let (publisher, logger) = (publisher, logger)
        publisher.afterPendingSends {
            publisher.publish(report, type: EventType.order, topic: Topic.order(report.symbol), trace: trace)
            logger.info(composed: "execute \(report.account) \(report.side.rawValue) \(report.qty) \(report.symbol): \(report.orderId) \(report.status.rawValue)\(report.reason.map { " (\($0))" } ?? "")",
                        traceId: request.traceId)
        }
        return answered
    }
}

import Logging
import Trading
import WireFormat
import WireProtocol

/// Publishes what the venue did — fill events, inventory, the log line of each order — and
/// queues what follows a fill (its inventory event, its hedge) so the reply to the order that
/// filled is not held up by them.
struct VenueEvents: Sendable {
    let venueState: VenueState
    let publisher: any EventPublishing
    let logger: Logger
    let metrics: any VenueMetricsRecording
    let followUps: VenueFollowUps

    /// After an order was executed, cancelled or replaced (and committed): its accounts' events
    /// as a follow-up, then what `reported` does.
    func handled(_ report: OrderReport, trace: TraceContext) {
        followUps.enqueue(.accountsChanged(trace: trace))
        reported(report, trace: trace)
    }

    /// Metrics, fill events, a log line, and the fills' follow-ups of a committed order.
    func reported(_ report: OrderReport, trace: TraceContext) {
        metrics.record(report)
        publishFills(report.fills, symbol: report.symbol, trace: trace)
        logger.info("\(report.account) \(report.side.rawValue) \(report.qty) \(report.symbol) \(report.orderId): \(report.status.rawValue)\(report.reason.map { " (\($0))" } ?? "")",
                    metadata: ["trace_id": "\(trace.traceId)"])
    }

    /// Fill events now; the inventory they changed and the hedge leg's answer as follow-ups.
    func publishFills(_ fills: [FillPayload], symbol: String, trace: TraceContext) {
        guard !fills.isEmpty else { return }
        for fill in fills { publisher.publish(fill, type: EventType.fill, topic: Topic.fill(fill.symbol), trace: trace) }
        followUps.enqueue(.filled(fills, symbol: symbol, trace: trace))
    }

    /// Publishes `inventory.<symbol>` (every account's position) and records the symbol's
    /// inventory metrics, warning of each account in it that just went over its limit. Only
    /// durable state is published: when the journal has failed, nothing is.
    func publishInventory(of symbol: String, trace: TraceContext) async {
        let (positions, states, commit) = venueState.durableInventory(of: symbol)
        guard (try? await commit.wait()) != nil else { return }
        let snapshot = InventorySnapshot(positions: positions)
        metrics.record(snapshot)
        let newlyOverLimit = venueState.newlyOverLimit(states)
        metrics.record(states, newlyOverLimit: newlyOverLimit)
        for state in newlyOverLimit {
            logger.warning("\(state.account) \(state.symbol) over its inventory limit: effective \(state.effectiveInventory) vs max \(state.maxInventory ?? 0)\(state.hedgeSuggestion.map { "; suggest \($0.side.rawValue) \($0.qty): \($0.reason)" } ?? "")",
                           metadata: ["trace_id": "\(trace.traceId)"])
        }
        publisher.publish(snapshot, type: EventType.inventory, topic: Topic.inventory(symbol), trace: trace)
    }

    /// Publishes `account.<name>` for the accounts changed since their last such event and,
    /// with `remarked` (after a market tick), for those whose figures the moved marks changed:
    /// one event per account however many commits and ticks changed it since. Only durable
    /// state is published: when the journal has failed, nothing is.
    func publishAccounts(remarked: Bool, trace: TraceContext) async {
        let (snapshots, commit) = venueState.durableAccountSnapshots(remarked: remarked)
        guard !snapshots.isEmpty, (try? await commit.wait()) != nil else { return }
        for snapshot in snapshots {
            guard let account = snapshot.accounts?.first?.account else { continue }
            publisher.publish(snapshot, type: EventType.account, topic: Topic.account(account), trace: trace)
        }
    }
}

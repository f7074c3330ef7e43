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
    /// Turns each account's whole listing into what changed since its previous event.
    let accountDeltas: AccountEventDeltas

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
        logger.info(composed: "\(report.account) \(report.side.rawValue) \(report.qty) \(report.symbol) \(report.orderId): \(report.status.rawValue)\(report.reason.map { " (\($0))" } ?? "")",
                    traceId: trace.traceId)
    }

    /// Fill events now; the inventory they changed and the hedge leg's answer as follow-ups.
    func publishFills(_ fills: [FillPayload], symbol: String, trace: TraceContext) {
        guard !fills.isEmpty else { return }
        for fill in fills { publisher.publish(fill, type: EventType.fill, topic: Topic.fill(fill.symbol), trace: trace) }
        followUps.enqueue(.filled(fills, symbol: symbol, trace: trace))
    }

    /// Publishes `inventory.<symbol>` (every account's position) once the state it lists is
    /// durable (see `publish(_:)`); when the journal has failed, nothing.
    func publishInventory(of symbol: String, trace: TraceContext) async {
        await publishWhenDurable(inventoryEvent(of: symbol, trace: trace))
    }

    /// Publishes the `account.<name>` events due (see `accountEvents`) once the state they
    /// list is durable; when the journal has failed, nothing.
    func publishAccounts(remarked: Bool, trace: TraceContext) async {
        for due in accountEvents(remarked: remarked, trace: trace) { await publishWhenDurable(due) }
    }

    /// `symbol`'s inventory as it is now, with the commit that makes it durable.
    func inventoryEvent(of symbol: String, trace: TraceContext) -> DueEvent {
        let (positions, states, commit) = venueState.durableInventory(of: symbol)
        return DueEvent(content: .inventory(symbol: symbol, positions: positions, states: states), commit: commit, trace: trace)
    }

    /// The `account.<name>` events due now, in the order they must leave: those taken early,
    /// before a later change of their accounts, each with its own commit, then those of the
    /// accounts changed since their last event and, with `remarked` (after a market tick), of
    /// those whose figures the moved marks changed: one event per account however many
    /// commits and ticks changed it since. Empty when none is due. Taking them marks them sent:
    /// they must then be published (or the journal have failed).
    func accountEvents(remarked: Bool, trace: TraceContext) -> [DueEvent] {
        venueState.durableAccountSnapshots(remarked: remarked).map { DueEvent(content: .accounts($0.snapshots), commit: $0.commit, trace: trace) }
    }

    /// Publishes `due` once its commit is done; nothing when the journal failed.
    func publishWhenDurable(_ due: DueEvent) async {
        guard (try? await due.commit.wait()) != nil else { return }
        publish(due)
    }

    /// Publishes `due`, whose commit the caller has seen done: only durable state is published.
    /// An inventory event records the symbol's inventory metrics first, warning of each account
    /// that just went over its limit. An account's event lists what changed since its previous
    /// one (`AccountEventDeltas`) and names the orders it is the first to show
    /// (`AccountOrderNames`), and is dropped when a later one has left already.
    func publish(_ due: DueEvent) {
        switch due.content {
        case .inventory(let symbol, let positions, let states):
            let snapshot = InventorySnapshot(positions: positions)
            metrics.record(snapshot)
            let newlyOverLimit = venueState.newlyOverLimit(states)
            metrics.record(states, newlyOverLimit: newlyOverLimit)
            for state in newlyOverLimit {
                logger.warning("\(state.account) \(state.symbol) over its inventory limit: effective \(state.effectiveInventory) vs max \(state.maxInventory ?? 0)\(state.hedgeSuggestion.map { "; suggest \($0.side.rawValue) \($0.qty): \($0.reason)" } ?? "")",
                               metadata: ["trace_id": .string(due.trace.traceId)])
            }
            publisher.publish(snapshot, type: EventType.inventory, topic: Topic.inventory(symbol), trace: due.trace)
        case .accounts(let snapshots):
            for var snapshot in snapshots {
                guard let entry = snapshot.accounts?.first else { continue }
                // Named as it leaves: one overtaken by a later event is dropped below, and the
                // later one named its orders.
                if let version = entry.version, snapshot.accounts?.count == 1,
                   let names = venueState.takeOrderNames(account: entry.account, through: version) {
                    snapshot.accounts?[0].orders = names
                }
                guard let event = accountDeltas.outgoing(snapshot) else { continue }
                publisher.publish(event, type: EventType.account, topic: Topic.account(entry.account), trace: due.trace)
            }
        }
    }
}

/// Events made from the venue's state as it was when they were taken, to be published once the
/// commit that makes that state durable is done.
struct DueEvent: Sendable {
    /// What the events say.
    enum Content: Sendable {
        /// `inventory.<symbol>`: every account's position in `symbol`, and their inventory states.
        case inventory(symbol: String, positions: [PositionPayload], states: [InventoryState])
        /// `account.<name>` of each account in turn.
        case accounts([InventorySnapshot])
    }

    let content: Content
    let commit: JournalCommit
    let trace: TraceContext
}

extension DueEvent {
    /// The accounts an account event lists, nil for an inventory event.
    var accountNames: [String]? {
        guard case .accounts(let snapshots) = content else { return nil }
        return snapshots.compactMap { $0.accounts?.first?.account }
    }

    /// For events that are all durable, in the order they are due: whether each is to leave.
    /// An account event is left out when later ones among them list each of its accounts
    /// again. Those show every account at a later version and, since an event names the orders
    /// of its account through its version (`VenueBook.takeOrderNames`), name its orders too,
    /// so a reader waiting for any of its versions or orders is answered at the same moment.
    /// Inventory events all leave: each fill has its own.
    static func notShownAgain(_ events: [DueEvent]) -> [Bool] {
        var keep = [Bool](repeating: true, count: events.count)
        guard events.count > 1 else { return keep }
        // Accounts that a later event shows: few, so a list.
        var shownLater: [String] = []
        for index in events.indices.reversed() {
            guard let names = events[index].accountNames, !names.isEmpty else { continue }
            if names.allSatisfy(shownLater.contains) {
                keep[index] = false
            } else {
                for name in names where !shownLater.contains(name) { shownLater.append(name) }
            }
        }
        return keep
    }
}

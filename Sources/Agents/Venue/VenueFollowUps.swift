import ServiceLifecycle
import Synchronization
import WireFormat
import WireProtocol
import WorkQueues

/// Work that follows a committed order or fill and must not hold up the reply to its order:
/// the inventory and account events and the hedge. Queued by whoever handled the order, done by
/// `VenueFollowUpService`.
struct VenueFollowUps: Sendable {
    /// One piece of follow-up work.
    enum Job: Sendable {
        /// `fills` of one order (one trace) in `symbol` were committed and published.
        case filled([FillPayload], symbol: String, trace: TraceContext)
        /// An order or quote refresh in `trace` changed accounts: their `account.<name>` events.
        case accountsChanged(trace: TraceContext)
    }

    /// Not an `AsyncStream`, which costs thousands of instructions per job (see
    /// `SingleConsumerQueue`): two jobs follow every filled order.
    let jobs = SingleConsumerQueue<Job>()

    /// Queues `job`; dropped once the service has stopped taking work.
    func enqueue(_ job: Job) { _ = jobs.offer(job) }
}

/// Does the venue's follow-up work as it is queued. On graceful shutdown it takes no new work,
/// does what was queued, waits for what is in flight, and returns.
///
/// Each job's events are made from the venue's state as the job is taken (account events a
/// later order took early, from the state before that order: `VenueBook.beginChange`), and
/// published once the commit that makes that state durable is done: at once when it is done
/// already and no earlier job's events still wait (the usual case: the order that queued the
/// job was committed before its reply), otherwise by one long-lived task that waits for the
/// commits in their order, which is the order the journal makes them durable in. So events
/// leave in the order their jobs were queued, no job's events wait for a later job's commit,
/// and no task is made per job. Events found durable together (one group commit made many
/// orders durable) leave together, less each account event that a later one among them shows
/// again (`DueEvent.notShownAgain`), so under load fewer account events leave than orders
/// commit. A hedge, which waits on another venue, runs in a child task of its own.
public struct VenueFollowUpService: Service {
    let followUps: VenueFollowUps
    let events: VenueEvents
    let hedger: VenueHedger?

    public func run() async {
        let waiting = SingleConsumerQueue<DueEvent>()
        // Events handed to `waiting` and not yet published: while any are, later events queue
        // behind them rather than overtake.
        let behind = Backlog()
        await withDiscardingTaskGroup { group in
            group.addTask { [events] in
                for await first in waiting {
                    // What waits right behind it and is durable too leaves with it, so an account
                    // event that a later one of the same run shows again is left out.
                    var run = [first]
                    let durable = (try? await first.commit.wait()) != nil
                    if durable {
                        while let next = waiting.take(ifNext: { $0.commit.isDone }) { run.append(next) }
                    }
                    let kept = DueEvent.notShownAgain(run)
                    for (due, keep) in zip(run, kept) {
                        if durable && keep { events.publish(due) }
                        behind.count.subtract(1, ordering: .releasing)
                    }
                }
            }
            await withGracefulShutdownHandler {
                func hand(_ due: DueEvent) {
                    if behind.count.load(ordering: .acquiring) == 0, due.commit.isDone {
                        events.publish(due)
                    } else {
                        behind.count.add(1, ordering: .relaxed)
                        _ = waiting.offer(due)
                    }
                }
                for await job in followUps.jobs {
                    switch job {
                    case .filled(let fills, let symbol, let trace):
                        hand(events.inventoryEvent(of: symbol, trace: trace))
                        if let hedger { group.addTask { await hedger.hedge(fills, trace: trace) } }
                    case .accountsChanged(let trace):
                        for due in events.accountEvents(remarked: false, trace: trace) { hand(due) }
                    }
                }
            } onGracefulShutdown: { [jobs = followUps.jobs] in
                jobs.finish()
            }
            waiting.finish()
        }
    }
}

/// A count shared by the follow-up service's two tasks.
private final class Backlog: Sendable {
    let count = Atomic(0)
}

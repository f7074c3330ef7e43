import ServiceLifecycle
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

/// Does the venue's follow-up work as it is queued, each job in a child task so one slow hedge
/// does not delay another trace's inventory. On graceful shutdown it takes no new work, does
/// what was queued, waits for what is in flight, and returns.
public struct VenueFollowUpService: Service {
    let followUps: VenueFollowUps
    let events: VenueEvents
    let hedger: VenueHedger?

    public func run() async {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await job in followUps.jobs {
                    switch job {
                    case .filled(let fills, let symbol, let trace):
                        group.addTask { await events.publishInventory(of: symbol, trace: trace) }
                        if let hedger { group.addTask { await hedger.hedge(fills, trace: trace) } }
                    case .accountsChanged(let trace):
                        group.addTask { await events.publishAccounts(remarked: false, trace: trace) }
                    }
                }
            } onGracefulShutdown: { [jobs = followUps.jobs] in
                jobs.finish()
            }
        }
    }
}

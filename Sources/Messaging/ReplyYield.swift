import Glibc

/// Lets the thread that carries a reply take it before the loop goes on, while requests come
/// slowly and the machine is quiet: one `sched_yield` after each send on a socket opened with
/// `yieldsAfterSends` (the request servers of the MarketMaker, the RiskManager and the
/// ExecutionAgent, whose handlers leave work for after their replies:
/// `AgentWiring.yieldsAfterReplies`).
///
/// A send wakes the process's libzmq I/O thread, which the kernel here usually places on the
/// sender's own CPU, and a woken `SCHED_BATCH` thread does not preempt the one running
/// (`ThreadScheduling`). So a reply waited until its loop had done whatever came after the send:
/// in the MarketMaker, a filled order's follow-up events, about 45 µs on every order's way back
/// (`perf sched timehist` of a cycle); in the RiskManager and the ExecutionAgent, their events
/// and log lines (`afterPendingSends`). Yielding right after the send lets the I/O thread take
/// the reply first, and the loop's own work follows. Servers whose handlers leave little for
/// after the reply do not yield: there the yield gains nothing and still costs at load (below).
///
/// Under load a yield hands the CPU to every thread waiting for it, for a whole turn, while the
/// loop holds up every lane's next message. So the loop yields only while its yielding servers'
/// requests come more than half a millisecond apart on average (`RequestPace`, fed by the loop's
/// reads) and at most one runnable thread beyond one per CPU shows (`SpareCPUs.quiet`), the I/O
/// thread just woken among them.
///
/// Used only on its loop's thread (sends and reads are made there), which also makes and owns
/// the `SpareCPUs` it reads, at its first look: a loop that never yields opens nothing.
final class ReplyYield: @unchecked Sendable {
    private let gate: BusyPollGate
    private lazy var spareCPUs: SpareCPUs? = SpareCPUs()
    /// How often the loop's yielding servers are asked (`requestsRead`).
    private(set) var pace = RequestPace()

    /// Yields where `gate` allows: with `.spareCPUs` (the agents' loops), only at a slow pace on
    /// a quiet machine.
    init(gate: BusyPollGate) {
        self.gate = gate
    }

    /// Called on the loop thread when it has read `count` requests on sockets opened with
    /// `yieldsAfterSends`, at `now` (`LoopClock`).
    func requestsRead(_ count: Int, at now: Int64) {
        pace.read(count, at: now)
    }

    /// Called on the loop thread after the send; true when it yielded.
    func sent() -> Bool {
        guard Self.yields(gate: gate, pace: pace, quiet: { spareCPUs?.quiet() ?? true }) else { return false }
        sched_yield()
        return true
    }

    /// Whether a reply yields: with `.spareCPUs` (the agents' loops), only while requests come
    /// slowly (`pace`) and the machine is `quiet` (asked only then: a look at `/proc/loadavg`).
    static func yields(gate: BusyPollGate, pace: RequestPace, quiet: () -> Bool) -> Bool {
        switch gate {
        case .spareCPUs: pace.isSlow && quiet()
        case .always: true
        case .never: false
        }
    }
}

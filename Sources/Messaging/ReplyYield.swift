import Glibc

/// Lets the thread that carries a reply take it before the loop goes on, while the machine is
/// quiet: one `sched_yield` after each send on a socket opened with `yieldsAfterSends` (the
/// MarketMaker's request server: `AgentWiring.yieldsAfterReplies`).
///
/// A send wakes the process's libzmq I/O thread, which the kernel here usually places on the
/// sender's own CPU, and a woken `SCHED_BATCH` thread does not preempt the one running
/// (`ThreadScheduling`). So a reply waited until its loop had done whatever came after the send:
/// in the MarketMaker, a filled order's follow-up events, about 45 µs on every order's way back
/// (`perf sched timehist` of a cycle). Yielding right after the send lets the I/O thread take the
/// reply first, and the loop's own work follows. Servers whose handlers leave little for after
/// the reply do not yield: there the yield gains nothing and still costs at load (below).
///
/// Under load a yield hands the CPU to every thread waiting for it, for a whole turn, while the
/// loop holds up every lane's next message: the loop yields only while at most one runnable
/// thread beyond one per CPU shows (`SpareCPUs.quiet`), the I/O thread just woken among them.
///
/// Used only on its loop's thread (sends are made there), which also makes and owns the
/// `SpareCPUs` it reads, at its first yield: a loop that never yields opens nothing.
final class ReplyYield: @unchecked Sendable {
    private let gate: BusyPollGate
    private lazy var spareCPUs: SpareCPUs? = SpareCPUs()

    /// Yields where `gate` allows: with `.spareCPUs` (the agents' loops), only on a quiet machine.
    init(gate: BusyPollGate) {
        self.gate = gate
    }

    /// Called on the loop thread after the send; true when it yielded.
    func sent() -> Bool {
        let quiet = switch gate {
        case .spareCPUs: spareCPUs?.quiet() ?? true
        case .always: true
        case .never: false
        }
        guard quiet else { return false }
        sched_yield()
        return true
    }
}

import Foundation
import Instrumentation
import Logging
import Messaging
import Metrics

/// `auto` scheduling: a thread of its own that samples the machine's load once a second
/// (`MachineLoad`) and moves the process's threads (its own, libzmq's or both, as the topology
/// has `auto` for) under the normal policy while other programs take much of the CPUs, and back
/// under `SCHED_BATCH` once they have been quiet a while (`AutoPolicyChoice`). Every process of
/// the desk decides alike from the same readings. The thread lasts as long as the process.
///
/// Its metrics: `hedgebus_thread_policy_batch` (1 while the threads it moves run under
/// `SCHED_BATCH`, 0 under the normal policy), `hedgebus_foreign_cpus` (the CPUs' worth of time
/// other programs took over the last sample) and `hedgebus_thread_policy_moves_total`.
enum ThreadPolicyWatch {
    /// How often the load is sampled.
    static let interval = 1.0

    static func start(ownThreads: Bool, ioThreads: Bool, name: String, logger: Logger) {
        let watch = Thread {
            ThreadNaming.nameCurrentThread("thread-policy")
            let load = MachineLoad()
            var choice = AutoPolicyChoice(cpus: ProcessInfo.processInfo.activeProcessorCount)
            let batchGauge = Gauge(label: "hedgebus_thread_policy_batch")
            let foreignGauge = Gauge(label: "hedgebus_foreign_cpus")
            let moves = Counter(label: "hedgebus_thread_policy_moves_total")
            batchGauge.record(1)
            while true {
                Thread.sleep(forTimeInterval: interval)
                guard let foreign = load.foreignCPUs(suspectAbove: choice.leavingBatchAt) else { continue }
                foreignGauge.record(foreign)
                guard choice.observe(foreignCPUs: foreign) else { continue }
                batchGauge.record(choice.batch ? 1 : 0)
                moves.increment()
                let policy = choice.batch ? ThreadScheduling.batch : ThreadScheduling.normal
                if ioThreads { ZMQContext.threadScheduling = choice.batch ? .batch : .normal }
                do {
                    try ThreadScheduling.move(ownThreads: ownThreads, ioThreads: ioThreads, to: policy)
                    logger.info("\(name): other programs use \(String(format: "%.2f", foreign)) of \(choice.cpus) CPUs: its threads run under \(choice.batch ? "SCHED_BATCH" : "the normal policy") (auto)")
                } catch {
                    logger.warning("\(name): \(String(describing: error))")
                }
            }
        }
        watch.start()
    }
}

/// Whether `auto` threads run under `SCHED_BATCH` or the normal policy, from the CPU time other
/// programs take: `SCHED_BATCH` while they leave the CPUs to the desk, the normal policy once
/// they take `busyShare` of them (a busy loop on one of two CPUs), and `SCHED_BATCH` again after
/// `quietSamples` samples in a row below `quietShare`.
struct AutoPolicyChoice {
    /// The share of the CPUs other programs take that moves the threads to the normal policy.
    static let busyShare = 0.4
    /// The share below which they count as quiet.
    static let quietShare = 0.2
    /// Quiet samples in a row that move the threads back to `SCHED_BATCH`.
    static let quietSamples = 3

    /// The CPUs online.
    let cpus: Int
    /// Whether the threads run under `SCHED_BATCH` now; they start so.
    private(set) var batch = true
    private var quietStreak = 0

    init(cpus: Int) { self.cpus = max(1, cpus) }

    /// The CPUs' worth of time other programs take that moves the threads to the normal policy.
    var leavingBatchAt: Double { Self.busyShare * Double(cpus) }

    /// Takes in a sample of the CPUs' worth of time other programs used; true when the policy
    /// changes with it.
    mutating func observe(foreignCPUs: Double) -> Bool {
        let share = foreignCPUs / Double(cpus)
        if batch {
            guard share >= Self.busyShare else { return false }
            batch = false
            quietStreak = 0
            return true
        }
        quietStreak = share < Self.quietShare ? quietStreak + 1 : 0
        guard quietStreak >= Self.quietSamples else { return false }
        batch = true
        quietStreak = 0
        return true
    }
}

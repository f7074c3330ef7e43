import CZeroMQ
import ServiceLifecycle

/// Hands memory the agent has freed back to the system every `interval`.
///
/// glibc's allocator keeps freed memory in each thread's arena for reuse, so after a burst
/// (replies kept for retries, a flood of requests) a process holds its peak for good even
/// though it uses far less. `malloc_trim(0)` returns the free pages of every arena. Just before
/// each trim `release` drops what the agent keeps but no longer needs (the replies kept for
/// retries once no retry can come, which a quiet server would otherwise hold until its next
/// request), so that the trim returns that too. Elsewhere than glibc the trim does nothing.
///
/// The trim runs off the loop thread, which the agent's services share with its message
/// handling: on a heap that has served thousands of signals a second it gives back a couple of
/// thousand free runs of pages, one `madvise` each, 0.2–0.5 ms in which the loop served nobody
/// (docs/PERFORMANCE.md, change 120).
struct MemoryTrimming: Service {
    var interval: Duration = .seconds(5)
    var release: @Sendable () -> Void = {}
    var trim: @Sendable () -> Void = Self.trimHeap

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                release()
                await Self.offTheLoop(trim)
            }
        }
    }

    /// Runs `work` on the global executor, whatever executor the caller's task prefers.
    static func offTheLoop(_ work: @escaping @Sendable () -> Void) async {
        await withTaskExecutorPreference(globalConcurrentExecutor) { @concurrent in work() }
    }

    /// Gives the free pages of every arena back to the system.
    static func trimHeap() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}

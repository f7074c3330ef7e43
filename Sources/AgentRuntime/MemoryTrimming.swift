import CZeroMQ
import ServiceLifecycle

/// Hands memory the agent has freed back to the system every `interval`.
///
/// glibc's allocator keeps freed memory in each thread's arena for reuse, so after a burst
/// (replies kept for retries, a flood of requests) a process holds its peak for good even
/// though it uses far less. `malloc_trim(0)` returns the free pages of every arena; it takes
/// well under a millisecond on an agent's heap. Elsewhere than glibc this does nothing.
/// Just before each trim `release` drops what the agent keeps but no longer needs (the replies
/// kept for retries once no retry can come, which a quiet server would otherwise hold until
/// its next request), so that the trim returns that too.
struct MemoryTrimming: Service {
    var interval: Duration = .seconds(5)
    var release: @Sendable () -> Void = {}

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                release()
                #if canImport(Glibc)
                _ = malloc_trim(0)
                #endif
            }
        }
    }
}

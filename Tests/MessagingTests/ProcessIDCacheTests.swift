import CProcessID
import Foundation
import CZeroMQ
import Glibc
import Testing

/// The executables' own `getpid` (CProcessID): libzmq's fork checks reach it instead of a
/// system call, and a forked child still learns its own id.
struct ProcessIDCacheTests {
    /// Messages passed between two sockets of one context, on this thread: libzmq's signalers
    /// ask for the process's id whenever a command wakes a socket (15 times for these 20).
    @Test func libzmqsForkChecksAreAnsweredByTheCache() throws {
        let before = hedgebus_getpid_calls_on_this_thread()
        let context = try #require(zmq_ctx_new())
        defer { zmq_ctx_term(context) }
        let sender = try #require(zmq_socket(context, ZMQ_PAIR))
        let receiver = try #require(zmq_socket(context, ZMQ_PAIR))
        defer {
            zmq_close(sender)
            zmq_close(receiver)
        }
        #expect(zmq_bind(receiver, "inproc://process-id-cache") == 0)
        #expect(zmq_connect(sender, "inproc://process-id-cache") == 0)
        var buffer = [UInt8](repeating: 0, count: 8)
        for index in 0..<20 {
            var byte = UInt8(index)
            #expect(zmq_send(sender, &byte, 1, 0) == 1)
            #expect(zmq_recv(receiver, &buffer, buffer.count, 0) == 1 && buffer[0] == byte)
        }
        // libzmq's calls from this thread, none of them ours: with its getpid bound to the C
        // library's instead, the count would not move.
        #expect(hedgebus_getpid_calls_on_this_thread() - before > 0)
        // And the id it answers is the one the kernel names for this process.
        let kernels = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self")
        #expect(getpid() == Int32(kernels))
    }

    /// A child made by fork reports the id fork gave its parent for it, not the parent's.
    @Test func aForkedChildHasItsOwnID() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let parent = getpid()
        let child = fork()
        if child == 0 {
            // Only async-signal-safe calls in the child of a threaded process.
            var own = getpid()
            _ = write(ends[1], &own, MemoryLayout<pid_t>.size)
            _exit(0)
        }
        close(ends[1])
        try #require(child > 0)
        var reported: pid_t = 0
        let read = Glibc.read(ends[0], &reported, MemoryLayout<pid_t>.size)
        var status: Int32 = 0
        _ = waitpid(child, &status, 0)
        #expect(read == MemoryLayout<pid_t>.size)
        #expect(reported == child && reported != parent)
        #expect(getpid() == parent)
    }
}

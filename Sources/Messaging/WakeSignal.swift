import CZeroMQ
import Glibc
import Synchronization

/// An eventfd that any thread may raise and the loop thread polls alongside its sockets.
///
/// Raising and closing take the same lock: a thread that raises just as the loop closes the
/// signal must never write to a descriptor number the process has since reused for something
/// else (a socket, or one of libzmq's own signal descriptors).
final class WakeSignal: Sendable {
    /// The eventfd, for the owner's poll; valid until `close`.
    let descriptor: Int32
    private let open = Mutex(true)

    init() throws(ZMQError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: .other, errno: errno, operation: "eventfd") }
        descriptor = fd
    }

    /// Wakes the poller; many raises before it runs collapse into one wake-up. Nothing once closed.
    func raise() {
        open.withLock { open in
            guard open else { return }
            var one: UInt64 = 1
            _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
        }
    }

    /// Clears the pending wake-up (called by the loop thread after poll reports it).
    func drain() {
        var value: UInt64 = 0
        _ = read(descriptor, &value, MemoryLayout<UInt64>.size)
    }

    /// Closes the eventfd; later raises do nothing.
    func close() {
        open.withLock { open in
            guard open else { return }
            open = false
            _ = Glibc.close(descriptor)
        }
    }
}

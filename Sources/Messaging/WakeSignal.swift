import CZeroMQ
import Glibc

/// An eventfd that any thread may raise and the loop thread polls alongside its sockets.
struct WakeSignal: Sendable {
    let descriptor: Int32

    init() throws(ZMQError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw ZMQError(code: .other, errno: errno, operation: "eventfd") }
        descriptor = fd
    }

    /// Wakes the poller; many raises before it runs collapse into one wake-up.
    func raise() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Clears the pending wake-up (called by the loop thread after poll reports it).
    func drain() {
        var value: UInt64 = 0
        _ = read(descriptor, &value, MemoryLayout<UInt64>.size)
    }

    func close() { _ = Glibc.close(descriptor) }
}

import Glibc
import Synchronization

/// Free TCP ports on the loopback interface, for tests that must never use the default ports.
/// A port is handed out once per test process: tests that run in parallel never get the same
/// port (the kernel may offer a just-released port again).
public enum FreePort {
    private static let handedOut = Mutex<Set<Int>>([])

    /// A port the kernel reports free right now and not handed out before in this process.
    public static func next() -> Int {
        while true {
            let port = kernelFree()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
    }

    /// A port the kernel reports free right now (bound to port 0, read back, released).
    private static func kernelFree() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> Bool in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        precondition(bound, "could not find a free loopback port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `count` distinct free ports.
    public static func distinct(_ count: Int) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = next()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }

    /// A loopback TCP endpoint on a free port.
    public static func endpoint() -> String { "tcp://127.0.0.1:\(next())" }
}

import Glibc
import Synchronization

/// Free TCP ports on the loopback interface, for tests that must never use the default ports.
/// A port is handed out once per test process: tests that run in parallel never get the same
/// port (the kernel may offer a just-released port again).
///
/// Ports come from below the kernel's ephemeral range (`ip_local_port_range`, 32768 and up on
/// Linux), which is where every outgoing connection takes its local port: a port found free in
/// that range can be taken by another test's client socket before the process meant to bind
/// it gets there.
public enum FreePort {
    private static let handedOut = Mutex<Set<Int>>([])
    /// Candidates: from 24000 up to the ephemeral range (the default ports, 7100–7214, lie below).
    /// 20000–23999 are left to scripts the tests run that pick their own ports (`scripts/chaos`),
    /// so the two never choose the same port at the same moment.
    private static let candidates: Range<Int> = 24_000 ..< max(24_001, min(32_768, ephemeralStart()))

    /// A port free right now and not handed out before in this process.
    public static func next() -> Int {
        for _ in 0..<1_000 {
            let port = Int.random(in: candidates)
            guard bindable(port), handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            return port
        }
        preconditionFailure("no free loopback port below the ephemeral range (\(candidates))")
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    private static func ephemeralStart() -> Int {
        guard let file = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r") else { return 32_768 }
        defer { fclose(file) }
        var low: Int32 = 0, high: Int32 = 0
        return withUnsafeMutablePointer(to: &low) { lowPointer in
            withUnsafeMutablePointer(to: &high) { highPointer in
                withVaList([lowPointer, highPointer]) { vfscanf(file, "%d %d", $0) } == 2
            }
        } ? Int(low) : 32_768
    }

    /// Whether `port` can be bound on 127.0.0.1 right now (bound and released at once).
    private static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
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

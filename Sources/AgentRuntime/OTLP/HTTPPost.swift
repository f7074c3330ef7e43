import Configuration
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client for one `POST` per connection: enough to hand OTLP/JSON
/// to a collector without an HTTP library. Call it off the agent's message loop.
enum HTTPPost {
    /// Why a POST did not get a 2xx answer.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Posts `body` as `contentType` to `target`, waiting at most `timeoutMs` for each of connect,
    /// send and the answer; returns the status code, throwing unless it is 2xx.
    @discardableResult
    static func send(_ body: Data, contentType: String, to target: OTLPSection.Target, timeoutMs: Int) throws(Failure) -> Int {
        let fd = try connect(target, timeoutMs: timeoutMs)
        defer { close(fd) }
        let head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\nUser-Agent: hedgebus\r\n\r\n"
        try write(Data(head.utf8) + body, to: fd)
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4_096)
        // The status line is all that is needed; stop at the end of the head.
        while answer.range(of: Data("\r\n\r\n".utf8)) == nil, answer.count < 65_536 {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "no answer from \(target.host):\(target.port) within \(timeoutMs) ms (\(String(cString: strerror(errno))))") }
            answer.append(contentsOf: buffer[0 ..< count])
        }
        let statusLine = String(decoding: answer.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "\(target.host):\(target.port) did not answer HTTP (got '\(statusLine.prefix(60))')")
        }
        guard (200 ..< 300).contains(status) else { throw Failure(description: "\(target.host):\(target.port)\(target.path) answered \(statusLine)") }
        return status
    }

    private static func connect(_ target: OTLPSection.Target, timeoutMs: Int) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw Failure(description: "cannot resolve \(target.host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            // On Linux the send timeout bounds connect() too.
            var timeout = timeval(tv_sec: timeoutMs / 1_000, tv_usec: Int(timeoutMs % 1_000) * 1_000)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = String(cString: strerror(errno))
            close(fd)
        }
        throw Failure(description: "cannot connect to \(target.host):\(target.port): \(lastError)")
    }

    private static func write(_ data: Data, to fd: Int32) throws(Failure) {
        var sent = 0
        while sent < data.count {
            let count = data.withUnsafeBytes { bytes in
                Glibc.send(fd, bytes.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw Failure(description: "sending to the collector failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }
}

import Foundation
import Messaging

/// Serves `GET /metrics` in Prometheus text format over plain HTTP/1.x, using a ZeroMQ STREAM
/// socket (raw TCP) on the agent's own message loop, so no HTTP server library is needed.
struct MetricsHTTPEndpoint: Sendable {
    let loop: MessageLoop
    let socket: SocketHandle
    let inbound: AsyncStream<Frames>
    /// host:port actually bound.
    let address: String

    static func bind(loop: MessageLoop, endpoint: String) async throws -> MetricsHTTPEndpoint {
        let (socket, inbound) = try await loop.open(SocketSpec(kind: .stream, binds: [endpoint]))
        let bound = socket.boundEndpoints.first ?? endpoint
        return MetricsHTTPEndpoint(loop: loop, socket: socket, inbound: inbound,
                                   address: bound.replacingOccurrences(of: "tcp://", with: ""))
    }

    /// Answers requests until the loop shuts down. Each connection gets one response and is closed.
    func run() async {
        var pending: [Data: Data] = [:]
        for await frames in inbound {
            guard frames.count == 2 else { continue }
            let (peer, bytes) = (frames[0], frames[1])
            // An empty frame announces a connection or its close.
            guard !bytes.isEmpty else { pending[peer] = nil; continue }
            var request = pending[peer, default: Data()] + bytes
            guard let end = request.range(of: Data("\r\n\r\n".utf8)) else {
                pending[peer] = request.count > 16_384 ? nil : request
                continue
            }
            request = request[..<end.lowerBound]
            pending[peer] = nil
            loop.post([peer, Self.response(to: String(decoding: request, as: UTF8.self))], on: socket)
            loop.post([peer, Data()], on: socket)
        }
    }

    static func response(to request: String) -> Data {
        let line = request.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = line.split(separator: " ")
        let (status, type, body): (String, String, String)
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            (status, type, body) = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", AgentMetrics.exposition())
        } else if parts.count >= 2, parts[0] == "GET" {
            (status, type, body) = ("404 Not Found", "text/plain; charset=utf-8", "only /metrics is served here\n")
        } else {
            (status, type, body) = ("405 Method Not Allowed", "text/plain; charset=utf-8", "use GET /metrics\n")
        }
        let bytes = Data(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        return Data(head.utf8) + bytes
    }
}

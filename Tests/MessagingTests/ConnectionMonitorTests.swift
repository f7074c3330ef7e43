import Foundation
import HedgeBusTesting
@testable import Messaging
import Testing
import WireFormat

/// libzmq drops a message over `ZMQ_MAXMSGSIZE` by closing the connection it came on and tells
/// the application nothing; the socket monitor makes that drop visible in the loop's counters.
@Suite("Connection monitor", .timeLimit(.minutes(2)))
struct ConnectionMonitorTests {
    @Test func anOversizedRequestClosesItsConnectionCountedAndTheServerAnswersTheNextOne() async throws {
        let pair = try await Pair.make()
        // A raw DEALER without a size limit, kept open throughout: the connection can only be
        // closed from the server's side.
        let (dealer, replies) = try await pair.loop.open(SocketSpec(kind: .dealer, connects: [pair.server.endpoint]))
        var iterator = replies.makeAsyncIterator()

        try await pair.loop.send([Data(), try request("before")], on: dealer)
        #expect(try reply(await iterator.next()) == "BEFORE")
        #expect(pair.loop.stats.connections == ConnectionEvents(), "a served request closed nothing")

        let limit = Int(SocketOptions.defaultMaxMessageSize)
        try await pair.loop.send([Data(), Data(repeating: 0x7B, count: limit + 1)], on: dealer)
        #expect(await eventually { pair.loop.stats.connections.closed == 1 }, "the dropped connection was not counted")
        #expect(pair.loop.stats.connections.handshakeProtocolErrors == 0)

        // The DEALER reconnects by itself; the server answers its next request.
        try await pair.loop.send([Data(), try request("after")], on: dealer)
        #expect(try reply(await iterator.next()) == "AFTER")
        #expect(pair.server.stats.handled == 2, "the oversized message reached the server")
        await pair.close()
    }

    @Test func aGreetingThatIsNotZMTPIsCountedAsAHandshakeProtocolError() async throws {
        let pair = try await Pair.make()
        let port = try #require(Int(pair.server.endpoint.split(separator: ":").last ?? ""))
        // A valid signature with a ZMTP 3.0 greeting naming a mechanism nobody speaks.
        var greeting = Data([0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0])
        greeting.append(Data("BOGUS".utf8) + Data(repeating: 0, count: 15))
        greeting.append(Data(repeating: 0, count: 32))
        let bytes = greeting
        try await onOwnThread { try sendRaw(bytes, toPort: port) }
        #expect(await eventually { pair.loop.stats.connections.handshakeProtocolErrors >= 1 })
        // Patient, as a loaded machine may be slow: what matters is that the server answers at all.
        let client = try await RequestClient.connect(loop: pair.loop, peer: "server", endpoint: pair.server.endpoint, source: "client",
                                                     policy: RequestPolicy(attemptTimeout: .seconds(2), attempts: 5))
        #expect(try await client.request(Echo(text: "still"), trace: .root()).payload.text == "STILL")
        await pair.close()
    }

    private func request(_ text: String) throws -> Data {
        try JSONEnvelopeCodec().encode(Envelope.make(type: Echo.requestType, source: "raw", trace: .root(), payload: Echo(text: text)))
    }

    private func reply(_ frames: Frames?) throws -> String {
        let body = try #require(frames?.last)
        return try JSONEnvelopeCodec().decode(Echo.self, from: body).payload.text
    }

    /// Polls `condition` until it holds or 10 s pass: a counter has no handshake to wait on.
    private func eventually(_ condition: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

/// Writes `bytes` to a plain TCP connection to the loopback `port`, reads until the peer closes
/// (or 5 s pass), then closes.
private func sendRaw(_ bytes: Data, toPort port: Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw TestFailure("connect to port \(port) failed") }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var buffer = [UInt8](repeating: 0, count: 512)
    while recv(fd, &buffer, buffer.count, 0) > 0 {}
}

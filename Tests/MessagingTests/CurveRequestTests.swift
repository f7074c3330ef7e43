import Foundation
import HedgeBusTesting
import Messaging
import Synchronization
import Testing
import WireFormat
import WireProtocol

/// A CURVE request server on its own loop whose ZAP handler lists alice and bob; the authorizer
/// records who asked and refuses bob.
private struct SecureServer {
    let loop: MessageLoop
    let server: RequestServer
    let serverKeys: CurveKeyPair
    let served: Task<Void, Never>
    let askers: Askers

    static func start(alice: CurveKeyPair, bob: CurveKeyPair) async throws -> SecureServer {
        let serverKeys = try CurveKeyPair.generate()
        let policy = ZAPPolicy(domains: ["echo-server": [alice.publicKey: "alice", bob.publicKey: "bob"]])
        let loop = try MessageLoop(name: "curve-server", zap: policy)
        var handlers = RequestHandlers()
        handlers.on(Echo.self) { Echo(text: $0.payload.text.uppercased()) }
        let askers = Askers()
        let server = try await RequestServer.bind(
            loop: loop, endpoint: "tcp://127.0.0.1:*", name: "echo-server", handlers: handlers,
            curve: .server(serverKeys, zapDomain: "echo-server"),
            authorize: { request in
                askers.record(request.userId)
                return request.userId == "bob" ? ProtocolError(.unauthorized, "bob may not call '\(request.header.type)'") : nil
            })
        return SecureServer(loop: loop, server: server, serverKeys: serverKeys, served: Task { await server.run() }, askers: askers)
    }

    func stop() async {
        await loop.shutdown()
        await served.value
    }
}

/// The identities an authorizer saw, in order.
private final class Askers: Sendable {
    private let seen = Mutex<[String?]>([])

    func record(_ identity: String?) { seen.withLock { $0.append(identity) } }
    var all: [String?] { seen.withLock { $0 } }
}

@Suite("CURVE request/reply", .timeLimit(.minutes(2)))
struct CurveRequestTests {
    /// For requests that must be answered: patient, as a loaded machine may be slow to handshake.
    private let patient = RequestPolicy(attemptTimeout: .seconds(5), attempts: 4)
    /// For requests that must find no connection: a bounded wait.
    private let quick = RequestPolicy(attemptTimeout: .milliseconds(400), attempts: 1)

    private func client(_ loop: MessageLoop, _ server: SecureServer, as keys: CurveKeyPair?, serverKey: String? = nil,
                        answered: Bool = true) async throws -> RequestClient {
        try await RequestClient.connect(loop: loop, peer: "echo-server", endpoint: server.server.endpoint, source: "claims-to-be-alice",
                                        policy: answered ? patient : quick,
                                        curve: keys.map { .client($0, serverKey: serverKey ?? server.serverKeys.publicKey) })
    }

    private func code(_ body: () async throws -> Void) async -> ProtocolError.Code? {
        do {
            try await body()
            return nil
        } catch let error as ProtocolError {
            return error.code
        } catch {
            return ProtocolError.Code(rawValue: "other: \(error)")
        }
    }

    @Test func listedKeysAreServedByIdentityAndOthersNeverConnect() async throws {
        let (alice, bob, mallory) = (try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate())
        let server = try await SecureServer.start(alice: alice, bob: bob)
        let loop = try MessageLoop(name: "curve-clients")
        do {
            // Listed: served, and the authorizer learns the identity from the handshake, not from `source`.
            let reply = try await client(loop, server, as: alice).request(Echo(text: "hi"), trace: .root())
            #expect(reply.payload.text == "HI")
            // A retry of a slow attempt (the policy is patient) asks the authorizer again, so
            // repeats of one identity in a row count once.
            func askers() -> [String?] { server.askers.all.reduce(into: []) { if $0.last != $1 { $0.append($1) } } }
            #expect(askers() == ["alice"])

            // Listed but refused by the authorizer: an `unauthorized` error naming who and what.
            do {
                _ = try await client(loop, server, as: bob).request(Echo(text: "hi"), trace: .root())
                Issue.record("bob was served")
            } catch let error as ProtocolError {
                #expect(error.code == .unauthorized)
                #expect(error.message.contains("bob") && error.message.contains("echo"))
            }
            #expect(server.server.stats.refused == 1)

            // Unlisted key, no CURVE at all, or the wrong server key: the handshake never completes.
            #expect(await code { _ = try await client(loop, server, as: mallory, answered: false).request(Echo(text: "x"), trace: .root()) } == .unreachable)
            #expect(await code { _ = try await client(loop, server, as: nil, answered: false).request(Echo(text: "x"), trace: .root()) } == .unreachable)
            let impostor = try CurveKeyPair.generate().publicKey
            #expect(await code { _ = try await client(loop, server, as: alice, serverKey: impostor, answered: false).request(Echo(text: "x"), trace: .root()) } == .unreachable)
            // Nothing of theirs reached the authorizer, and the ZAP handler counted mallory's key.
            #expect(askers() == ["alice", "bob"])
            _ = try await eventually("the server's ZAP handler refusing mallory's key", timeout: .seconds(10)) {
                server.loop.stats.refusedHandshakes >= 1 ? true : nil
            }
        } catch {
            await loop.shutdown()
            await server.stop()
            throw error
        }
        await loop.shutdown()
        await server.stop()
    }
}

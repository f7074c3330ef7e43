import CZeroMQ
import Foundation
import Instrumentation
import Logging
import Synchronization

/// The ZAP (RFC 27) handler of one ZeroMQ context: answers each CURVE handshake a server socket
/// of that context asks about, accepting only keys its `ZAPPolicy` lists for the socket's domain
/// and naming the accepted peer in the `User-Id` every message of the connection then carries.
///
/// It runs on a thread of its own with its own REP socket bound to `inproc://zeromq.zap.01`, and
/// ends when the context is terminated.
final class ZAPHandler: Sendable {
    /// Where libzmq sends a context's ZAP requests.
    static let endpoint = "inproc://zeromq.zap.01"

    private let policy: ZAPPolicy
    private let refusals: RefusalLog
    private let onRefusal: @Sendable () -> Void

    init(policy: ZAPPolicy, refusals: RefusalLog, onRefusal: @escaping @Sendable () -> Void) {
        self.policy = policy
        self.refusals = refusals
        self.onRefusal = onRefusal
    }

    /// Starts a handler on `context` and returns once it is bound, so that no server socket of
    /// the context can accept a connection before the handler is there to judge it. `onRefusal`
    /// is called (on the handler's thread) for every handshake it refuses.
    static func start(context: ZMQContext, policy: ZAPPolicy, name: String, onRefusal: @escaping @Sendable () -> Void) throws(ZMQError) {
        let handler = ZAPHandler(policy: policy, refusals: RefusalLog(label: "hedgebus.zap.\(name)"), onRefusal: onRefusal)
        let contextHandle = ContextHandle(raw: context.handle)
        let bound = Mutex<ZMQError??>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread {
            handler.serve(context: contextHandle) { outcome in
                bound.withLock { $0 = .some(outcome) }
                ready.signal()
            }
        }
        thread.name = "zmq-zap-\(name)"
        thread.start()
        ready.wait()
        if case let .some(error?) = bound.withLock({ $0 }) { throw error }
    }

    private func serve(context: ContextHandle, onBound: (ZMQError?) -> Void) {
        let socket: ZMQSocket
        do {
            socket = try ZMQSocket(contextHandle: context.raw, kind: .rep)
            try socket.bind(Self.endpoint)
        } catch {
            onBound(error)
            return
        }
        onBound(nil)
        // Blocks between handshakes; the context's termination ends the wait with ETERM. A signal
        // interrupting the wait must not end the handler: the servers would then refuse everyone.
        while true {
            do {
                guard let request = try socket.receive(wait: true) else { continue }
                try socket.send(answer(request), wait: true)
            } catch where error.code == .interrupted {
                continue
            } catch {
                break
            }
        }
        socket.close()
    }

    /// The reply to one ZAP request: version, request id, status code and text, user id, metadata.
    func answer(_ frames: [Data]) -> [Data] {
        // version, request id, domain, address, routing id, mechanism, credentials…
        guard frames.count >= 6, String(decoding: frames[0], as: UTF8.self) == "1.0" else {
            return Self.reply(frames.count > 1 ? frames[1] : Data(), status: "500", text: "malformed ZAP request", userId: "")
        }
        let requestId = frames[1]
        let domain = String(decoding: frames[2], as: UTF8.self)
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        guard mechanism == "CURVE", frames.count == 7, let key = CurveKeyPair.z85(Array(frames[6])) else {
            refuse(domain: domain, reason: "\(mechanism) handshake from \(address) without a CURVE key")
            return Self.reply(requestId, status: "400", text: "CURVE required", userId: "")
        }
        guard let identity = policy.identity(of: key, on: domain) else {
            refuse(domain: domain, reason: "key \(key) from \(address) is not listed for \(domain)")
            return Self.reply(requestId, status: "400", text: "key not listed for \(domain)", userId: "")
        }
        return Self.reply(requestId, status: "200", text: "OK", userId: identity)
    }

    private func refuse(domain: String, reason: String) {
        onRefusal()
        Instruments.counter("hedgebus_auth_refused_total", [("stage", "handshake"), ("domain", domain)]).increment()
        refusals.record("handshake refused: \(reason)", key: "handshake \(domain)")
    }

    private static func reply(_ requestId: Data, status: String, text: String, userId: String) -> [Data] {
        [Data("1.0".utf8), requestId, Data(status.utf8), Data(text.utf8), Data(userId.utf8), Data()]
    }
}

/// A libzmq context pointer handed to another thread: libzmq documents contexts as thread-safe,
/// unlike the sockets made from them, which stay on the thread that creates them.
struct ContextHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

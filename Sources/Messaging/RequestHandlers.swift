import Foundation
import WireFormat

/// An encoded reply with the id it was given, and the error it reports, if it is one.
@usableFromInline
struct EncodedReply: Sendable {
    @usableFromInline var body: Data
    @usableFromInline var id: String
    @usableFromInline var failure: ProtocolError?

    @usableFromInline
    init(body: Data, id: String, failure: ProtocolError?) {
        self.body = body
        self.id = id
        self.failure = failure
    }
}

/// The request types a `RequestServer` answers, each with its handler.
public struct RequestHandlers: Sendable {
    /// Turns a request (its header already read and valid) into a reply body.
    @usableFromInline
    typealias Erased = @Sendable (InboundMessage, any EnvelopeCodec, String) async -> EncodedReply

    @usableFromInline
    var table: [String: Erased] = [:]

    /// What a handler that may answer at once made of a request: the reply, or the work that
    /// answers it once awaited (`on(_:atOnce:awaiting:)`).
    @usableFromInline
    enum ImmediateOutcome: Sendable {
        case reply(EncodedReply)
        case awaiting(@Sendable () async -> EncodedReply)
    }

    /// Turns a request (its header already read and valid) into a reply body at once, on the
    /// thread that read it, or into the work that answers it in a task (`on(_:immediately:)`,
    /// `on(_:atOnce:awaiting:)`).
    @usableFromInline
    typealias Immediate = @Sendable (InboundMessage, any EnvelopeCodec, String) -> ImmediateOutcome

    /// The handlers that answer without awaiting anything, by request type (also in `table`).
    @usableFromInline
    var immediate: [String: Immediate] = [:]

    /// The same handlers by request type, each still typed (a `TypedHandler<R>`), for requests
    /// handed over as values by a client on the server's loop (`RequestServer.answer`). Held as
    /// class references, so that taking one back as a `TypedHandler<R>` is a class cast, not the
    /// general dynamic cast out of an `any Sendable` (docs/PERFORMANCE.md, change 113).
    @usableFromInline
    var typed: [String: any AnyObject & Sendable] = [:]

    /// An empty table.
    public init() {}

    /// The request types registered so far.
    public var types: [String] { table.keys.sorted() }

    /// Registers `handler` for requests of type `R`. A thrown `ProtocolError` becomes an `error`
    /// reply with its code; any other error becomes `internal_error`.
    ///
    /// Inlinable so that the handler's wrapper is specialized for `R` where it is registered:
    /// generic, it looked up the metadata of `Envelope<R>` and `Envelope<R.Reply>` at run time
    /// for every request.
    @inlinable
    public mutating func on<R: RequestPayload>(_: R.Type, _ handler: @escaping @Sendable (Envelope<R>) async throws -> R.Reply) {
        let typed = TypedHandler(handler)
        self.typed[R.requestType] = typed
        table[R.requestType] = { message, codec, source in
            let trace = TraceContext.caused(by: message.header)
            do {
                let request = try codec.decode(R.self, from: message)
                let envelope = Envelope.make(type: R.replyType, source: source, trace: trace, payload: try await typed.reply(to: request))
                return EncodedReply(body: try codec.encode(envelope), id: envelope.id, failure: nil)
            } catch {
                return ErrorReply.encode(error, of: R.self, source: source, trace: trace, codec: codec)
            }
        }
    }

    /// Registers `handler`, which awaits nothing, for requests of type `R`. A server on its
    /// loop answers such a request as it reads it, with no task of its own (a handler that
    /// awaits gets one, so that other requests are read meanwhile); so the handler must be
    /// quick and never block, as anything else run on the loop thread. Errors as in `on(_:_:)`.
    ///
    /// A closure that awaits nothing, passed as the trailing closure of `on(_:_:)`, is taken
    /// by this method: the two answer alike, this one without a task.
    @inlinable
    public mutating func on<R: RequestPayload>(_: R.Type, immediately handler: @escaping @Sendable (Envelope<R>) throws -> R.Reply) {
        register(R.self, atOnce: { try handler($0) }, awaiting: nil)
        typed[R.requestType] = TypedHandler<R>({ try handler($0) }, atOnce: { try handler($0) })
    }

    /// Registers a handler for requests of type `R` that answers at once when it can: `atOnce`
    /// runs as the request is read (as `on(_:immediately:)`'s handler does) and returns the
    /// reply, or nil when the answer needs something awaited; then `awaiting` answers the same
    /// request in a task of its own (as `on(_:_:)`'s handler does). Errors as in `on(_:_:)`.
    @inlinable
    public mutating func on<R: RequestPayload>(_: R.Type, atOnce: @escaping @Sendable (Envelope<R>) throws -> R.Reply?,
                                               awaiting: @escaping @Sendable (Envelope<R>) async throws -> R.Reply) {
        register(R.self, atOnce: atOnce, awaiting: awaiting)
        typed[R.requestType] = TypedHandler<R>(awaiting, atOnce: atOnce)
    }

    /// The socket's side of the two registrations above: `atOnce` first, then (when it gives
    /// nil) `awaiting` in a task, or `internal_error` when there is none.
    @inlinable
    mutating func register<R: RequestPayload>(_: R.Type, atOnce: @escaping @Sendable (Envelope<R>) throws -> R.Reply?,
                                              awaiting: (@Sendable (Envelope<R>) async throws -> R.Reply)?) {
        let answer: Immediate = { message, codec, source in
            let trace = TraceContext.caused(by: message.header)
            @Sendable func encoded(_ reply: R.Reply) throws -> EncodedReply {
                try reply.validate()
                let envelope = Envelope.make(type: R.replyType, source: source, trace: trace, payload: reply)
                return EncodedReply(body: try codec.encode(envelope), id: envelope.id, failure: nil)
            }
            do {
                let request = try codec.decode(R.self, from: message)
                if let reply = try atOnce(request) { return .reply(try encoded(reply)) }
                guard let awaiting else { throw ProtocolError(.internalError, "\(R.requestType) gave no reply") }
                return .awaiting {
                    do {
                        return try encoded(try await awaiting(request))
                    } catch {
                        return ErrorReply.encode(error, of: R.self, source: source, trace: trace, codec: codec)
                    }
                }
            } catch {
                return .reply(ErrorReply.encode(error, of: R.self, source: source, trace: trace, codec: codec))
            }
        }
        immediate[R.requestType] = answer
        table[R.requestType] = { message, codec, source in
            switch answer(message, codec, source) {
            case .reply(let reply): reply
            case .awaiting(let work): await work()
            }
        }
    }

    /// Registers `handler` for requests of type `R`, answering with a payload it received
    /// (`CarriedPayload`): a request read from a socket is answered with the bytes that payload
    /// came in, when they were kept, rather than with the payload written again. A request
    /// handed over as a value gets the payload. Errors as in `on(_:_:)`.
    @inlinable
    public mutating func on<R: RequestPayload>(_: R.Type, carrying handler: @escaping @Sendable (Envelope<R>) async throws -> CarriedPayload<R.Reply>) {
        self.typed[R.requestType] = TypedHandler<R> { try await handler($0).payload }
        table[R.requestType] = { message, codec, source in
            let trace = TraceContext.caused(by: message.header)
            do {
                let request = try codec.decode(R.self, from: message)
                let carried = try await handler(request)
                try carried.payload.validate()
                let envelope = Envelope.make(type: R.replyType, source: source, trace: trace, carrying: carried)
                return EncodedReply(body: try codec.encode(envelope), id: envelope.id, failure: nil)
            } catch {
                return ErrorReply.encode(error, of: R.self, source: source, trace: trace, codec: codec)
            }
        }
    }
}

/// A handler of requests of type `R`, as registered: what a request read from a socket is
/// answered with after its decoding, and a request handed over as a value is answered with directly.
@usableFromInline
final class TypedHandler<R: RequestPayload>: Sendable {
    @usableFromInline let handler: @Sendable (Envelope<R>) async throws -> R.Reply
    /// The part that answers at once when it can (nil: it cannot now), tried before `handler`.
    @usableFromInline let atOnce: (@Sendable (Envelope<R>) throws -> R.Reply?)?

    @usableFromInline
    init(_ handler: @escaping @Sendable (Envelope<R>) async throws -> R.Reply, atOnce: (@Sendable (Envelope<R>) throws -> R.Reply?)? = nil) {
        self.handler = handler
        self.atOnce = atOnce
    }

    /// The reply `atOnce` gives `request`, checked, or nil when there is no such part or it
    /// cannot answer now (then `reply(to:)` answers). Errors as `reply(to:)` throws them.
    @inlinable
    func replyAtOnce(to request: Envelope<R>) throws(ProtocolError) -> R.Reply? {
        guard let atOnce else { return nil }
        do {
            guard let reply = try atOnce(request) else { return nil }
            try reply.validate()
            return reply
        } catch {
            throw ErrorReply.failure(error, of: R.self)
        }
    }

    /// The handler's reply to `request`, checked. A thrown `ProtocolError` is thrown as it is;
    /// any other error as `internal_error`.
    @inlinable
    func reply(to request: Envelope<R>) async throws(ProtocolError) -> R.Reply {
        do {
            let reply = try await handler(request)
            try reply.validate()
            return reply
        } catch {
            throw ErrorReply.failure(error, of: R.self)
        }
    }
}

/// Builds `error` replies, even for requests too broken to have a readable header.
@usableFromInline
enum ErrorReply {
    /// What a handler of `R` that threw `error` answers: a `ProtocolError` as it is, any other
    /// error as `internal_error`.
    @inlinable
    static func failure<R: RequestPayload>(_ error: any Error, of _: R.Type) -> ProtocolError {
        (error as? ProtocolError) ?? ProtocolError(.internalError, "\(R.requestType) failed: \(error)")
    }

    /// The `error` reply to a request of type `R` whose handling threw `error`.
    @inlinable
    static func encode<R: RequestPayload>(_ error: any Error, of _: R.Type, source: String, trace: TraceContext,
                                          codec: any EnvelopeCodec) -> EncodedReply {
        encode(failure(error, of: R.self), source: source, trace: trace, codec: codec)
    }

    @usableFromInline
    static func encode(_ error: ProtocolError, source: String, trace: TraceContext, codec: any EnvelopeCodec) -> EncodedReply {
        let envelope = Envelope.make(type: EventType.error, source: source, trace: trace, payload: ErrorPayload(error))
        // An ErrorPayload of plain strings always encodes.
        return EncodedReply(body: (try? codec.encode(envelope)) ?? Data(), id: envelope.id, failure: error)
    }

    /// The trace of a request whose header failed validation: its own id and trace id when those
    /// two fields are readable, so the sender can still match the error to its request.
    static func salvageTrace(from body: Data) -> TraceContext {
        let object = try? JSONDecoder().decode(JSONValue.self, from: body)
        let traceId = object?["trace_id"]?.string.flatMap { TraceID.isValid($0) ? $0 : nil } ?? TraceID.make()
        return TraceContext(traceId: traceId, parentId: object?["id"]?.string)
    }
}

import Foundation
@testable import Messaging
import Testing

/// `ZMQSocket.forward(to:copyTo:)`, which the bus uses to pass a message on as libzmq holds it.
/// Each test makes and uses its sockets on its one thread (it never suspends), over `inproc://`.
@Suite(.timeLimit(.minutes(1)))
struct ZMQForwardTests {
    /// A bound socket of `kind` and a connected socket of `peer` at one fresh `inproc://` name.
    static func pair(_ context: ZMQContext, _ kind: SocketKind, _ peer: SocketKind, _ name: String) throws -> (ZMQSocket, ZMQSocket) {
        let endpoint = "inproc://forward-\(name)-\(UUID().uuidString)"
        let bound = try context.socket(kind)
        try bound.bind(endpoint)
        let connected = try context.socket(peer)
        try connected.connect(endpoint)
        return (bound, connected)
    }

    /// Forwards from `reader` until `count` messages have passed, waiting (bounded) for each.
    static func forward(_ count: Int, from reader: ZMQSocket, to target: ZMQSocket, copyTo copy: ZMQSocket?) throws -> Int {
        var forwarded = 0
        while forwarded < count {
            guard try poll([.readable(reader)], timeoutMillis: 5_000) == [true] else { break }
            while try reader.forward(to: target, copyTo: copy) { forwarded += 1 }
        }
        return forwarded
    }

    @Test func wholeMessagesPassFrameByFrameAndTheCopyGetsThemToo() throws {
        let context = try ZMQContext()
        let (source, reader) = try Self.pair(context, .pair, .pair, "source")
        let (target, targetReader) = try Self.pair(context, .pair, .pair, "target")
        let (copy, copyReader) = try Self.pair(context, .pair, .pair, "copy")
        #expect(try reader.forward(to: target, copyTo: copy) == false, "nothing was queued")
        // Frames past libzmq's in-place size share their bytes between the message and its copy.
        let large = Data((0..<5_000).map { UInt8($0 % 251) })
        let messages: [[Data]] = [[Data("fill.BTC-USD".utf8), Data("{\"a\":1}".utf8)], [Data("t".utf8), Data(), large], [Data("one".utf8)]]
        for message in messages { try source.send(message, wait: true) }
        #expect(try Self.forward(messages.count, from: reader, to: target, copyTo: copy) == messages.count)
        for message in messages {
            #expect(try targetReader.receive(wait: true) == message)
            #expect(try copyReader.receive(wait: true) == message)
        }
        for socket in [source, reader, target, targetReader, copy, copyReader] { socket.close() }
        context.terminate()
    }

    /// A socket that refuses a message (a DEALER with no peer never takes one) drops it whole; the
    /// message is still read to its end, so the other socket gets it and the next one intact.
    @Test func aMessageOneSocketRefusesIsDroppedThereWholeAndTheNextStartsClean() throws {
        let context = try ZMQContext()
        let (source, reader) = try Self.pair(context, .pair, .pair, "refusing-source")
        let (taker, takerReader) = try Self.pair(context, .pair, .pair, "taker")
        let refuser = try context.socket(.dealer)
        let messages: [[Data]] = [[Data("a".utf8), Data("1".utf8), Data("2".utf8)], [Data("b".utf8), Data("3".utf8)]]
        // Refused as the target, then as the copy.
        for (target, copy) in [(refuser, Optional(taker)), (taker, Optional(refuser))] {
            for message in messages { try source.send(message, wait: true) }
            #expect(try Self.forward(messages.count, from: reader, to: target, copyTo: copy) == messages.count)
            for message in messages { #expect(try takerReader.receive(wait: true) == message) }
        }
        for socket in [source, reader, taker, takerReader, refuser] { socket.close() }
        context.terminate()
    }

    /// A copy socket that was closed takes nothing more; the target still gets every message.
    @Test func aClosedCopyDoesNotHoldUpTheTarget() throws {
        let context = try ZMQContext()
        let (source, reader) = try Self.pair(context, .pair, .pair, "closed-copy-source")
        let (target, targetReader) = try Self.pair(context, .pair, .pair, "closed-copy-target")
        let copy = try context.socket(.pair)
        copy.close()
        let message = [Data("order.X".utf8), Data("{}".utf8)]
        try source.send(message, wait: true)
        #expect(try Self.forward(1, from: reader, to: target, copyTo: copy) == 1)
        #expect(try targetReader.receive(wait: true) == message)
        for socket in [source, reader, target, targetReader] { socket.close() }
        context.terminate()
    }
}

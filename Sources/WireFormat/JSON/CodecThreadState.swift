import Foundation

/// What the codec keeps per thread between messages: the decoded strings that recur
/// (`RecurringStrings`) and the buffer envelopes are written into. Each thread that encodes or
/// decodes gets its own on first use, reached through a thread-specific pointer (no lock, no
/// sharing), freed when the thread exits. Encoding and decoding never suspend, so a task
/// cannot move to another thread while it holds the pointer.
@usableFromInline
struct CodecThreadState {
    /// The capacity of the write buffer when it is made, enough for a cycle's messages.
    static let bufferCapacity = 1_024
    /// A buffer grown past this by a large message is replaced by a new one of the usual size.
    static let largestKeptBuffer = 64 * 1_024

    var strings = RecurringStrings()
    /// The write buffer, nil while an encode has it.
    var buffer: ByteBuffer? = ByteBuffer(capacity: bufferCapacity)

    /// The calling thread's state, made on its first use.
    @usableFromInline
    static var current: UnsafeMutablePointer<CodecThreadState> {
        if let state = pthread_getspecific(threadKey) { return state.assumingMemoryBound(to: CodecThreadState.self) }
        let state = UnsafeMutablePointer<CodecThreadState>.allocate(capacity: 1)
        state.initialize(to: CodecThreadState())
        pthread_setspecific(threadKey, state)
        return state
    }

    /// Writes into the thread's buffer (or a new one, should an encode run inside another) and
    /// returns a copy of what `write` wrote, or nil when it declines; the buffer keeps its
    /// memory for the next encode, so an encode allocates only the `Data`.
    @usableFromInline
    static func encode(_ write: (ByteBuffer) -> Bool) -> Data? {
        withBuffer { out in write(out) ? out.copyData() : nil }
    }

    /// Writes into the thread's buffer as `encode` does and returns what `write` wrote as a
    /// `String`, or nil when it declines: the string is the only allocation.
    static func text(_ write: (ByteBuffer) -> Bool) -> String? {
        withBuffer { out in write(out) ? String(decoding: out.bytes(from: 0, count: out.count), as: UTF8.self) : nil }
    }

    /// Runs `body` with the thread's write buffer (or a new one, should a write run inside
    /// another), emptied and kept for the next write afterwards unless a large message grew it.
    private static func withBuffer<Result>(_ body: (ByteBuffer) -> Result) -> Result {
        let state = current
        let out = state.pointee.buffer.take() ?? ByteBuffer(capacity: bufferCapacity)
        let result = body(out)
        out.removeAll()
        if out.capacity <= largestKeptBuffer { state.pointee.buffer = out }
        return result
    }
}

/// The key of each thread's `CodecThreadState`; its destructor frees the state when the thread exits.
private let threadKey: pthread_key_t = {
    var key = pthread_key_t()
    guard pthread_key_create(&key, { freeThreadState($0) }) == 0 else { fatalError("pthread_key_create failed") }
    return key
}()

private func freeThreadState(_ pointer: UnsafeMutableRawPointer?) {
    guard let state = pointer?.assumingMemoryBound(to: CodecThreadState.self) else { return }
    state.pointee.strings.free()
    state.deinitialize(count: 1)
    state.deallocate()
}

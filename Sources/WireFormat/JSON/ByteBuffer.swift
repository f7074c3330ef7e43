import Foundation

/// A growable run of bytes written through a raw pointer: appending is a bounds check and a
/// copy, with none of `Array`'s uniqueness checks. Owned by one encode at a time. Its appends
/// are not inlinable on purpose: inlined into another module, every access to its counters
/// would be checked for exclusivity at run time. `takeData()` hands the bytes over without
/// copying and without allocating again; `copyData()` copies them and keeps the memory for
/// the next use (the codec's per-thread buffer, `CodecThreadState`).
@usableFromInline
package final class ByteBuffer {
    /// The bytes; not owned (handed to a `Data`) while `capacity` is 0.
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    /// Bytes written so far, for another module: `count` itself stays internal, so the
    /// compiler, seeing every access to it, needs no run-time exclusivity checks on it.
    @usableFromInline
    package var written: Int { count }

    /// An empty buffer with room for `capacity` bytes before it grows.
    @usableFromInline
    package init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = Self.allocate(self.capacity)
    }

    deinit { if capacity > 0 { free(base) } }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        guard let memory = malloc(capacity) else { fatalError("out of memory allocating \(capacity) bytes") }
        return memory.assumingMemoryBound(to: UInt8.self)
    }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    package func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = max(capacity * 2, 16)
        while newCapacity < needed { newCapacity *= 2 }
        guard let memory = capacity > 0 ? realloc(base, newCapacity) : malloc(newCapacity) else {
            fatalError("out of memory allocating \(newCapacity) bytes")
        }
        base = memory.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    /// Appends one byte.
    @usableFromInline @inline(__always)
    package func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends a JSON array: `[`, each element as `write` appends it, commas between, `]`.
    @inlinable
    package func appendArray<Element, Failure: Error>(_ elements: [Element], _ write: (Element) throws(Failure) -> Void) throws(Failure) {
        append(UInt8(ascii: "["))
        for position in elements.indices {
            if position > 0 { append(UInt8(ascii: ",")) }
            try write(elements[position])
        }
        append(UInt8(ascii: "]"))
    }

    /// Appends bytes.
    @usableFromInline
    package func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends an object member's `"name":`, after a comma unless `first`, with one capacity
    /// check for all of it.
    func appendMemberName(_ name: UnsafeBufferPointer<UInt8>, first: Bool) {
        reserve(name.count + 4 + PlainText.slack)
        let at = writeMemberName(name, first: first, at: base + count)
        count = at - base
    }

    /// Appends a string member, `"name":"value"` after a comma unless `first`, with one capacity
    /// check for all of it; false, with nothing appended, when the value needs escaping. The
    /// value is checked while it is copied.
    func appendStringMember(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, first: Bool) -> Bool {
        reserve(name.count + value.count + 6 + PlainText.slack)
        var at = writeMemberName(name, first: first, at: base + count)
        at.pointee = UInt8(ascii: "\"")
        at += 1
        guard PlainText.copyUnlessEscaping(value, to: at) else { return false }
        at += value.count
        at.pointee = UInt8(ascii: "\"")
        count = at + 1 - base
        return true
    }

    /// Appends `"bytes"` when no byte needs escaping (checked while copying); false, with
    /// nothing appended, otherwise.
    func appendPlainQuoted(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        reserve(bytes.count + 2 + PlainText.slack)
        let at = base + count
        at.pointee = UInt8(ascii: "\"")
        guard PlainText.copyUnlessEscaping(bytes, to: at + 1) else { return false }
        at[bytes.count + 1] = UInt8(ascii: "\"")
        count += bytes.count + 2
        return true
    }

    /// Lets `write` put at most `maximum` bytes at the end (with `PlainText.slack` bytes of room
    /// after them) and keeps as many as it says it wrote.
    @inline(__always)
    func append(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximum + PlainText.slack)
        count += write(base + count)
    }

    /// Writes `,"name":` (without the comma when `first`) at `at`, where there is room for it
    /// and `PlainText.slack` bytes more; returns the position after it.
    @inline(__always)
    private func writeMemberName(_ name: UnsafeBufferPointer<UInt8>, first: Bool, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var at = start
        if !first {
            at.pointee = UInt8(ascii: ",")
            at += 1
        }
        at.pointee = UInt8(ascii: "\"")
        at += 1
        PlainText.copy(name, to: at)
        at += name.count
        at[0] = UInt8(ascii: "\"")
        at[1] = UInt8(ascii: ":")
        return at + 2
    }

    /// Appends the UTF-8 of a string: read in place where its storage is contiguous (a native
    /// or small string), through a copy otherwise.
    package func append(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        var string = string
        string.withUTF8 { append($0) }
    }

    /// Appends what a value writes of itself (`TextOutputStreamable`) to the buffer. A number
    /// hands its ASCII text over as bytes (`_writeASCII`), so none is made a `String`; anything
    /// written as a string is appended as its UTF-8.
    package struct TextStream: TextOutputStream {
        let buffer: ByteBuffer

        package init(_ buffer: ByteBuffer) { self.buffer = buffer }

        package mutating func write(_ string: String) { buffer.append(string) }

        package mutating func _writeASCII(_ bytes: UnsafeBufferPointer<UInt8>) { buffer.append(bytes) }
    }

    /// The byte at `offset` (below `count`).
    subscript(offset: Int) -> UInt8 { base[offset] }

    /// Drops the last `n` bytes (at most `count`).
    package func removeLast(_ n: Int) { count -= min(n, count) }

    /// Drops every byte, keeping the memory.
    package func removeAll() { count = 0 }

    /// Appends a copy of `length` bytes written earlier, from `start`: a value written once more
    /// without writing it anew.
    package func appendCopy(from start: Int, count length: Int) {
        precondition(start >= 0 && length >= 0 && start + length <= count, "a copy of bytes not written")
        reserve(length)
        (base + count).update(from: base + start, count: length)
        count += length
    }

    /// The written bytes from `start`, valid until the next append.
    @usableFromInline
    package func bytes(from start: Int, count length: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: length)
    }

    /// A `Data` holding a copy of the written bytes; the buffer keeps them. A `Data` made this
    /// way frees its bytes itself, which costs less than calling a deallocator on bytes it was
    /// handed, and the buffer's own memory is not allocated again.
    func copyData() -> Data { Data(bytes: base, count: count) }

    /// Hands the written bytes to a `Data` without copying; the buffer is empty afterwards and
    /// allocates anew only if written again.
    @usableFromInline
    package func takeData() -> Data {
        let data = Data(bytesNoCopy: base, count: count, deallocator: .free)
        capacity = 0
        count = 0
        return data
    }
}

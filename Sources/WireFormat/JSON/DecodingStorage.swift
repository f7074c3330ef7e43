import Foundation

/// The input of one decode: a private copy of the bytes (so a decoder that outlives the call
/// can never read freed memory) and the scanned nodes, plus a spare `null` node used where a
/// missing value must still be handed out as a decoder.
final class DecodingStorage {
    let nodes: [JSONNode]
    let nullNode: Int
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private let count: Int

    /// Copies and scans `data`; malformed input throws Foundation's `dataCorrupted` shape.
    init(scanning data: Data) throws(DecodingError) {
        count = data.count
        buffer = .allocate(capacity: max(count, 1))
        _ = data.copyBytes(to: buffer)
        var scanner = JSONScanner(UnsafeBufferPointer(start: buffer.baseAddress, count: count))
        var scanned: [JSONNode]
        do {
            scanned = try scanner.scan()
        } catch {
            let failure = error.decodingError(in: UnsafeBufferPointer(start: buffer.baseAddress, count: count))
            buffer.deallocate()
            throw failure
        }
        nullNode = scanned.count
        scanned.append(JSONNode(kind: .null, flags: 0, start: 0, length: 0, end: UInt32(scanned.count + 1)))
        nodes = scanned
    }

    deinit { buffer.deallocate() }

    /// The raw bytes of a string (without quotes) or number node.
    func bytes(of node: JSONNode) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress.map { $0 + Int(node.start) }, count: Int(node.length))
    }

    /// The text of a string node, unescaped.
    func string(_ node: JSONNode) -> String {
        JSONText.string(bytes(of: node), hasEscapes: node.flags & JSONNode.hasEscapes != 0)
    }

    /// The index of the value of the first member of `object` named `name`, as Foundation's
    /// lookup finds it (first occurrence wins; names compare as Swift strings). Plain ASCII
    /// names on both sides compare as bytes; only a non-ASCII name, or a member name with
    /// escapes or non-ASCII bytes, needs the `String` comparison (canonical equivalence).
    func member(_ name: String, in object: Int) -> Int? {
        var utf8 = name
        return utf8.withUTF8 { nameBytes in
            let nameIsASCII = JSONText.isASCII(nameBytes)
            return nodes.withUnsafeBufferPointer { nodes in
                var index = object + 1
                let end = Int(nodes[object].end)
                while index < end {
                    let key = nodes[index]
                    if key.flags == 0 && nameIsASCII {
                        if Int(key.length) == nameBytes.count, JSONText.equal(bytes(of: key), nameBytes) { return index + 1 }
                    } else if string(key) == name {
                        return index + 1
                    }
                    index = Int(nodes[index + 1].end)
                }
                return nil
            }
        }
    }
}

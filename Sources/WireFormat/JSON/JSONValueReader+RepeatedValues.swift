extension JSONValueReader {
    /// Passes over the value here when it is `[`, then exactly the document's bytes in
    /// `element`, then `]` (an array whose one element is written as a value read before it),
    /// and returns whether it did; otherwise nothing is read. The caller knows the element: it read
    /// and checked those bytes itself.
    package func passArray(holdingOnly element: Range<Int>) -> Bool {
        let bytes = cursor.pointee.lexer.bytes
        let start = cursor.pointee.lexer.position, end = start + element.count + 2
        guard let base = bytes.baseAddress, element.lowerBound >= 0, element.upperBound <= bytes.count, end <= bytes.count,
              base[start] == UInt8(ascii: "["), base[end - 1] == UInt8(ascii: "]"),
              JSONText.equal(UnsafeBufferPointer(start: base + start + 1, count: element.count),
                             UnsafeBufferPointer(start: base + element.lowerBound, count: element.count)) else { return false }
        cursor.pointee.lexer.position = end
        return true
    }
}

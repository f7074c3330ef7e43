import Foundation

/// Why bytes are not JSON, with the byte offset of the problem.
struct JSONSyntaxError: Error {
    /// What is wrong, e.g. `Unexpected character 'x'`.
    var reason: String
    /// Byte offset in the input.
    var offset: Int

    /// Foundation's shape for malformed input: `dataCorrupted` with an empty coding path and an
    /// underlying NSError whose debug description says what and where.
    func decodingError(in bytes: UnsafeBufferPointer<UInt8>) -> DecodingError {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        let detail = "\(reason) around line \(line), column \(column) (byte \(offset))."
        return Self.dataCorrupted(detail)
    }

    /// A `dataCorrupted` error with an empty coding path, as Foundation reports any input it
    /// cannot read (including numbers that do not fit the requested type).
    static func dataCorrupted(_ detail: String) -> DecodingError {
        let underlying = NSError(domain: NSCocoaErrorDomain, code: 3840, userInfo: [NSDebugDescriptionErrorKey: detail])
        return .dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "The given data was not valid JSON.",
                                                    underlyingError: underlying))
    }
}

import Foundation

extension Data {
    /// `text`'s UTF-8 bytes in one copy of its contiguous storage. `Data(text.utf8)` takes the
    /// generic path for a sequence of bytes, which asks at run time (dynamic casts) whether the
    /// sequence is contiguous: about 1,300 instructions for a topic frame, on every publication
    /// that leaves its process (docs/PERFORMANCE.md, change 113).
    public init(utf8Of text: String) {
        var text = text
        self = text.withUTF8 { Data(buffer: $0) }
    }
}

import Foundation
import WireFormat

/// A reply as a `RequestClient`'s loop matched it to its request: its bytes with the codec's
/// glance at them, which found the parent id, or, where the codec could not glance at them, the
/// message opened. A glanced reply is read once, whole, by the request it answers. The opened
/// case is boxed, so that the usual one stays small where it is handed over and kept.
@usableFromInline
enum ReceivedReply: Sendable {
    case glanced(Data, EnvelopeGlance)
    indirect case opened(InboundMessage)
}

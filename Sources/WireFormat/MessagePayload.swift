/// A type that can stand in an envelope's `payload`.
public protocol MessagePayload: Codable, Sendable {
    /// Rejects impossible values (NaN, out-of-range numbers, empty names) with a clear message.
    func validate() throws(ProtocolError)
    /// The type's hand-written JSON form, when it has one; nil (the default) means `Codable` only.
    static var fastJSON: FastJSONForm<Self>? { get }
}

extension MessagePayload {
    public func validate() throws(ProtocolError) {}
    public static var fastJSON: FastJSONForm<Self>? { nil }
}

/// A request sent over req/rep, with the payload type of its `.ok` reply.
public protocol RequestPayload: MessagePayload {
    /// The payload of the `<type>.ok` reply.
    associatedtype Reply: MessagePayload
    /// The envelope `type` of this request, e.g. `analyze`.
    static var requestType: String { get }
}

extension RequestPayload {
    /// The envelope `type` of a successful reply.
    public static var replyType: String { requestType + ".ok" }
}

/// A payload whose content is not looked at: decoding only checks that it is a JSON object.
/// Used to read an envelope's header before choosing the payload type.
public struct OpaquePayload: MessagePayload {
    public init() {}
    public init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: AnyCodingKey.self)
    }
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: AnyCodingKey.self)
    }
}

/// A coding key made from any string, for reading objects whose keys are not known in advance.
public struct AnyCodingKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
}

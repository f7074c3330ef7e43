/// Why a message could not be decoded, validated or processed. Travels as an `error` reply's
/// payload (`code`, `message`).
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, growable classification; its raw value is the wire `code`.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        /// The bytes are not JSON, or not a JSON object.
        public static let malformedJSON = Code(rawValue: "malformed_json")
        /// A required field is absent.
        public static let missingField = Code(rawValue: "missing_field")
        /// A field has the wrong JSON type.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// A field has an impossible value (NaN, negative quantity, bad trace id…).
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// The envelope's `v` is not a version this build speaks.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// No handler for this request type here.
        public static let unknownType = Code(rawValue: "unknown_type")
        /// The request names something that does not exist here (e.g. an order that is not resting).
        public static let notFound = Code(rawValue: "not_found")
        /// The handler failed for a reason other than bad input.
        public static let internalError = Code(rawValue: "internal_error")
        /// A downstream peer did not answer in time.
        public static let timeout = Code(rawValue: "timeout")
        /// A downstream peer could not be reached.
        public static let unreachable = Code(rawValue: "unreachable")
        /// The server is handling as many requests as it takes at once; try again shortly.
        public static let busy = Code(rawValue: "busy")
        /// The authenticated sender may not make this request (the message names who and what).
        public static let unauthorized = Code(rawValue: "unauthorized")
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence a person can act on.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

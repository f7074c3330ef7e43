import CZeroMQ

/// A CURVE keypair as the two 40-character Z85 strings libzmq uses.
public struct CurveKeyPair: Sendable, Hashable {
    /// The public key, handed to peers and listed in topologies.
    public let publicKey: String
    /// The secret key; never leaves its owner's keys folder.
    public let secretKey: String

    /// Whether libzmq was built with CURVE (it needs libsodium or its own tweetnacl).
    public static var isSupported: Bool { zmq_has("curve") != 0 }

    /// A fresh keypair from `zmq_curve_keypair`.
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        guard isSupported else { throw CurveKeyError.unsupported }
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
            throw CurveKeyError("zmq_curve_keypair failed: \(String(cString: zmq_strerror(zmq_errno())))")
        }
        return CurveKeyPair(publicKey: text(publicKey), secretKey: text(secretKey))
    }

    /// The keypair of `secretKey`, its public half derived with `zmq_curve_public`.
    public init(secretKey: String) throws(CurveKeyError) {
        guard Self.isZ85Key(secretKey) else { throw CurveKeyError("a CURVE secret key must be 40 Z85 characters") }
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secretKey) == 0 else {
            throw CurveKeyError("zmq_curve_public failed: \(String(cString: zmq_strerror(zmq_errno())))")
        }
        self.init(publicKey: Self.text(publicKey), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Whether `text` has the shape of a Z85-encoded 32-byte key.
    public static func isZ85Key(_ text: String) -> Bool {
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
        return text.count == 40 && text.allSatisfy { alphabet.contains($0) }
    }

    /// The Z85 text of a binary 32-byte key (as a ZAP request carries it).
    static func z85(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var encoded = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&encoded, bytes, 32) != nil else { return nil }
        return text(encoded)
    }

    /// The characters of a NUL-terminated C buffer.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A key that cannot be made, read or used, with what to do about it.
public struct CurveKeyError: Error, Sendable, CustomStringConvertible {
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }

    /// The system libzmq has no CURVE.
    public static let unsupported = CurveKeyError("this libzmq was built without CURVE (zmq_has(\"curve\") is false); install a libzmq linked with libsodium")
}

import Foundation

/// A folder of named CURVE keys: `<name>.pub` holds a public key, `<name>.secret` the secret key
/// of the same identity. The folder is the owner's only (0700), every file too (0600).
public struct CurveKeyStore: Sendable {
    /// The folder's path.
    public let folder: String

    /// A store in `folder` (nothing is read or created yet).
    public init(folder: String) { self.folder = folder }

    /// The file holding `name`'s public key.
    public func publicKeyPath(_ name: String) -> String { "\(folder)/\(name).pub" }
    /// The file holding `name`'s secret key.
    public func secretKeyPath(_ name: String) -> String { "\(folder)/\(name).secret" }

    /// Makes a keypair for `name` unless it has one (or replaces it with `replace`), and says
    /// whether a new one was written.
    @discardableResult
    public func create(_ name: String, replace: Bool = false) throws(CurveKeyError) -> Bool {
        guard Self.isValidName(name) else {
            throw CurveKeyError("'\(name)' is not a key name (letters, digits, '-', '_' and '.', not starting with '.')")
        }
        try makeFolder()
        if !replace, FileManager.default.fileExists(atPath: secretKeyPath(name)) { return false }
        let pair = try CurveKeyPair.generate()
        try write(pair.secretKey, to: secretKeyPath(name))
        try write(pair.publicKey, to: publicKeyPath(name))
        return true
    }

    /// `name`'s own keypair, read from its secret key file.
    public func keyPair(_ name: String) throws(CurveKeyError) -> CurveKeyPair {
        try CurveKeyPair(secretKey: read(secretKeyPath(name), what: "secret key of '\(name)'"))
    }

    /// `name`'s public key.
    public func publicKey(_ name: String) throws(CurveKeyError) -> String {
        let key = try read(publicKeyPath(name), what: "public key of '\(name)'")
        guard CurveKeyPair.isZ85Key(key) else { throw CurveKeyError("\(publicKeyPath(name)) does not hold a 40-character Z85 key") }
        return key
    }

    /// Whether `name` may name a key file.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    private func makeFolder() throws(CurveKeyError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // An existing folder keeps its mode through createDirectory: tighten it as well.
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        } catch {
            throw CurveKeyError("cannot create the keys folder \(folder): \(error.localizedDescription)")
        }
    }

    private func write(_ key: String, to path: String) throws(CurveKeyError) {
        // Created 0600 in one step, so the key is never readable by others, not even briefly.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CurveKeyError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array((key + "\n").utf8)
        guard fchmod(descriptor, 0o600) == 0, Foundation.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw CurveKeyError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func read(_ path: String, what: String) throws(CurveKeyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CurveKeyError("no \(what) at \(path); make the keys with `hedgectl keys --dir \(folder)`")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

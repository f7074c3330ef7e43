import Foundation
import Messaging
import Testing

@Suite("CURVE keys")
struct CurveKeyStoreTests {
    private func folder() -> String { NSTemporaryDirectory() + "hedgebus-keytest-\(UUID().uuidString.prefix(8))/keys" }

    private func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func libzmqHasCurve() {
        #expect(CurveKeyPair.isSupported, "the system libzmq lacks CURVE; a CURVE topology cannot run here")
    }

    @Test func keysAreOwnerOnlyKeptUnlessReplacedAndDeriveTheirPublicHalf() throws {
        let store = CurveKeyStore(folder: folder())
        #expect(try store.create("alice"))
        #expect(try mode(store.folder) == 0o700)
        #expect(try mode(store.secretKeyPath("alice")) == 0o600)
        #expect(try mode(store.publicKeyPath("alice")) == 0o600)

        let pair = try store.keyPair("alice")
        #expect(CurveKeyPair.isZ85Key(pair.publicKey) && CurveKeyPair.isZ85Key(pair.secretKey))
        #expect(try store.publicKey("alice") == pair.publicKey, "the public key file must hold the secret key's public half")

        #expect(try !store.create("alice"), "an existing key is kept")
        #expect(try store.keyPair("alice") == pair)
        #expect(try store.create("alice", replace: true))
        #expect(try store.keyPair("alice").publicKey != pair.publicKey)
        #expect(try store.create("bob"))
        #expect(try store.publicKey("bob") != store.publicKey("alice"))
    }

    @Test func badNamesAndMissingKeysAreClearErrors() throws {
        let store = CurveKeyStore(folder: folder())
        #expect(throws: CurveKeyError.self) { try store.create("../escape") }
        #expect(throws: CurveKeyError.self) { try store.create(".hidden") }
        do {
            _ = try store.keyPair("nobody")
            Issue.record("a missing key was read")
        } catch {
            #expect(error.description.contains("hedgectl keys"))
        }
        #expect(throws: CurveKeyError.self) { try CurveKeyPair(secretKey: "too short") }
    }
}

import Testing
@testable import Trading

@Suite struct ClientOrderIndexTests {
    /// Every key hashing alike: only the confirmation against the stored owner and the exact
    /// fallback map keep ids apart.
    @Test func idsWhoseHashesCollideStayDistinct() {
        var index = ClientOrderIndex(hash: { _ in 7 })
        var owners: [ClientOrderKey] = []
        let keys = (0..<50).map { ClientOrderKey(account: $0 % 3, clientOrderId: "c\($0)") }
        for key in keys {
            let slot = index.claim(key, next: owners.count) { owners[$0] == key }
            #expect(slot == owners.count, "a new id must get a new slot")
            owners.append(key)
        }
        #expect(index.count == keys.count)
        for (slot, key) in keys.enumerated() {
            #expect(index.claim(key, next: owners.count) { owners[$0] == key } == slot, "a repeated id must get its first slot")
            #expect(index.find(key) { owners[$0] == key } == slot)
        }
        #expect(index.find(ClientOrderKey(account: 0, clientOrderId: "never")) { owners[$0] == ClientOrderKey(account: 0, clientOrderId: "never") } == nil)
        // The same id on another account is another order.
        let other = ClientOrderKey(account: 9, clientOrderId: "c0")
        #expect(index.claim(other, next: owners.count) { owners[$0] == other } == owners.count)
    }

    /// Through many doublings of the table: hashes that differ only in their low bits (same
    /// top bits kept in the entries), only in their top bits (same home entry), or not at all
    /// for groups of keys, and the real hash.
    @Test(arguments: ["low", "high", "groups", "real"])
    func idsStayDistinctAsTheTableGrows(hashes: String) {
        let number: @Sendable (ClientOrderKey) -> Int = { Int($0.clientOrderId.dropFirst()) ?? -1 }
        let hash: @Sendable (ClientOrderKey) -> Int = switch hashes {
        case "low": { number($0) & 0xFFF }
        case "high": { (number($0) & 0xFF) << 56 }
        case "groups": { (number($0) / 7).hashValue }
        default: { $0.hashValue }
        }
        var index = ClientOrderIndex(hash: hash)
        var owners: [ClientOrderKey] = []
        let keys = (0..<1_200).map { ClientOrderKey(account: $0 % 2, clientOrderId: "c\($0)") }
        for key in keys {
            #expect(index.claim(key, next: owners.count) { owners[$0] == key } == owners.count)
            owners.append(key)
        }
        for (slot, key) in keys.enumerated() {
            #expect(index.claim(key, next: owners.count) { owners[$0] == key } == slot)
            #expect(index.find(key) { owners[$0] == key } == slot)
        }
        let stranger = ClientOrderKey(account: 1, clientOrderId: "c0")
        #expect(index.find(stranger) { owners[$0] == stranger } == nil)
        #expect(index.count == keys.count)
    }
}

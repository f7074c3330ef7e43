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
}

/// Venue order ids: "O-" followed by the order's number in submission order ("O-1", "O-2", …).
enum VenueOrderId {
    /// The id of order `number`: exactly "O-" + String(number).
    static func render(_ number: Int) -> String {
        guard number > 0 else { return "O-" + String(number) }
        var digits = 1
        var power = 10
        while power <= number, digits < 19 {
            digits += 1
            power = power &* 10
        }
        // Written in place: up to 13 digits the id is a small string built without a heap
        // buffer, and without the generic integer-to-text and string-appending machinery,
        // which cost more than the rest of a market order.
        return String(unsafeUninitializedCapacity: 2 + digits) { text in
            text[0] = UInt8(ascii: "O")
            text[1] = UInt8(ascii: "-")
            var rest = number
            for index in (2..<(2 + digits)).reversed() {
                text[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            return 2 + digits
        }
    }

    /// The number whose rendering is exactly `id`, byte for byte; nil for any other id.
    static func number(of id: String) -> Int? {
        guard id.utf8.starts(with: "O-".utf8), let number = Int(id.dropFirst(2)) else { return nil }
        return render(number).utf8.elementsEqual(id.utf8) ? number : nil
    }
}

/// Venue order ids: "O-" followed by the order's number in submission order ("O-1", "O-2", …).
enum VenueOrderId {
    /// The id of order `number`.
    static func render(_ number: Int) -> String {
        // Concatenating small strings stays an inline small string; interpolation would reserve
        // a heap buffer for every order id.
        "O-" + String(number)
    }

    /// The number whose rendering is exactly `id`, byte for byte; nil for any other id.
    static func number(of id: String) -> Int? {
        guard id.utf8.starts(with: "O-".utf8), let number = Int(id.dropFirst(2)) else { return nil }
        return render(number).utf8.elementsEqual(id.utf8) ? number : nil
    }
}

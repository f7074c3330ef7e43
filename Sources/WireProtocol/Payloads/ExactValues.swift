import WireFormat
import Trading

// Quantities, prices and amounts cross the wire as `WireDecimal`; both hold whole numbers of
// 10⁻⁸, so converting is exact either way.
extension FixedPoint {
    /// The value a wire number carries, unchanged.
    public init(wire: WireDecimal) { self.init(raw: wire.units) }

    /// The wire form of the value, unchanged.
    public var wire: WireDecimal { WireDecimal(units: raw) }
}

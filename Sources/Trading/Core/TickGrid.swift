/// Snaps prices onto a tick grid.
struct TickGrid: Sendable, Hashable {
    let tick: Double
    /// 1 / tick when that is a whole number (0.01 → 100). Dividing by it gives the
    /// Double nearest the decimal price ("60000.01"), where multiplying by the tick can
    /// land one ulp off ("60000.010000000002").
    private let ticksPerUnit: Double?

    init(tick: Double) {
        self.tick = tick
        let inverse = (1 / tick).rounded()
        ticksPerUnit = inverse >= 1 && abs(inverse * tick - 1) < 1e-12 ? inverse : nil
    }

    /// Largest grid price ≤ `price`.
    func down(_ price: Double) -> Double { snap(price, .down, nudge: 1e-9) }

    /// Smallest grid price ≥ `price`.
    func up(_ price: Double) -> Double { snap(price, .up, nudge: -1e-9) }

    /// Nearest grid price.
    func nearest(_ price: Double) -> Double { snap(price, .toNearestOrAwayFromZero, nudge: 0) }

    private func snap(_ price: Double, _ rule: FloatingPointRoundingRule, nudge: Double) -> Double {
        // The nudge stops a price already on the grid (100.00 / 0.01 = 9999.999999999998)
        // from being pushed a whole tick away by representation error.
        let count = (price / tick + nudge).rounded(rule)
        if let ticksPerUnit { return count / ticksPerUnit }
        return count * tick
    }
}

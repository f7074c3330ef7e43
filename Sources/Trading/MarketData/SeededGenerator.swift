/// A fast, reproducible random number generator: xoshiro256** whose state is expanded
/// from a single `UInt64` seed with splitmix64.
///
/// Simulations take one of these instead of `SystemRandomNumberGenerator` so a run can be
/// replayed exactly from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// Box–Muller yields normals in pairs; the second is kept for the next call.
    private var spareGaussian: Double?

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        // splitmix64 spreads even tiny or similar seeds over the full state and never
        // yields the all-zero state that would trap xoshiro at zero forever.
        var counter = seed
        s0 = Self.splitmix64(&counter)
        s1 = Self.splitmix64(&counter)
        s2 = Self.splitmix64(&counter)
        s3 = Self.splitmix64(&counter)
        spareGaussian = nil
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = Self.rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform value in [0, 1) with 53 random bits, the full precision of a Double.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal deviate (mean 0, variance 1), by the Box–Muller transform.
    public mutating func nextGaussian() -> Double {
        if let spare = spareGaussian {
            spareGaussian = nil
            return spare
        }
        // 1 − u lies in (0, 1], so the logarithm below is always finite.
        let u1 = 1 - nextUnit()
        let u2 = nextUnit()
        let radius = (-2 * naturalLog(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareGaussian = radius * sine(angle)
        return radius * cosine(angle)
    }

    private static func splitmix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}

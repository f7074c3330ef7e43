import Synchronization

/// The random bits behind trace, span and message ids: xoshiro256** seeded once per process
/// from the system's generator.
///
/// Ids must be unique, not secret, and several are made for every message, so drawing each
/// from the kernel (a system call per draw) would cost more than the rest of an encode. The
/// state is shared by every thread behind one lock, held for a few nanoseconds per draw.
enum IDRandom {
    private static let state = Mutex<Xoshiro256StarStar>(Xoshiro256StarStar(seededBy: SystemRandomNumberGenerator()))

    /// 64 random bits.
    static func next() -> UInt64 { state.withLock { $0.next() } }
}

/// The xoshiro256** generator (Blackman and Vigna): 256 bits of state, period 2^256 − 1.
struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// Seeds the state from `source`, never all zeros.
    init<Source: RandomNumberGenerator>(seededBy source: Source) {
        var source = source
        repeat {
            (s0, s1, s2, s3) = (source.next(), source.next(), source.next(), source.next())
        } while s0 | s1 | s2 | s3 == 0
    }

    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

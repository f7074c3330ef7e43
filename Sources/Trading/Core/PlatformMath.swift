#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

// The C math library is imported here and only here, so the module needs neither
// Foundation nor a platform import anywhere else.

/// e raised to `x`.
func exponential(_ x: Double) -> Double { exp(x) }

/// Natural logarithm of `x`.
func naturalLog(_ x: Double) -> Double { log(x) }

/// Cosine of `x` (radians).
func cosine(_ x: Double) -> Double { cos(x) }

/// Sine of `x` (radians).
func sine(_ x: Double) -> Double { sin(x) }

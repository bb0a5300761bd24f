import AdminProtocol
import NIOCore

/// A small deterministic RNG (SplitMix64), so every fuzz and chunking run is reproducible.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension ByteBuffer {
    /// The readable bytes as an array.
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// A buffer holding exactly `bytes`.
func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}

/// The big-endian bytes of `value`.
func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

/// A wire `string`: its uint16 length and UTF-8 bytes.
func wireString(_ string: String) -> [UInt8] {
    be(UInt16(string.utf8.count)) + Array(string.utf8)
}

/// A frame: the uint32 length prefix, then `payload`.
func frameBytes(_ payload: [UInt8]) -> [UInt8] {
    be(UInt32(payload.count)) + payload
}

/// The reason of a `malformed` error, or nil for any other error.
func malformedReason(_ error: AdminProtocolError?) -> String? {
    guard case .malformed(let reason)? = error else { return nil }
    return reason
}

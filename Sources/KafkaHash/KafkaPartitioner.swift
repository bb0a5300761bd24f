/// Kafka's default partitioner for keyed records, bit-compatible with the Java client:
/// `toPositive(murmur2(key)) % partitionCount`.
///
/// One implementation shared by the broker core (routing keyed records), the terminal UI ("find by
/// key" and the publish form's partition preview) and tests; it is its own module because the UI
/// never imports the broker core.
public enum KafkaPartitioner {
    /// Kafka's murmur2 hash (seed `0x9747b28c`) of `key`, as the Java client's signed 32-bit result.
    public static func murmur2<C: Collection<UInt8>>(_ key: C) -> Int32 {
        let bytes = Array(key)
        let length = bytes.count
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let b = i * 4
            var k =
                UInt32(bytes[b]) | (UInt32(bytes[b + 1]) << 8) | (UInt32(bytes[b + 2]) << 16)
                | (UInt32(bytes[b + 3]) << 24)
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        // Kafka's switch falls through from 3 to 2 to 1.
        let rest = length % 4
        if rest >= 3 { h ^= UInt32(bytes[tail + 2]) << 16 }
        if rest >= 2 { h ^= UInt32(bytes[tail + 1]) << 8 }
        if rest >= 1 {
            h ^= UInt32(bytes[tail])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which overflows on `Int32.min`).
    public static func toPositive(_ value: Int32) -> Int32 { value & 0x7fff_ffff }

    /// The partition the Java client picks for `key` among `partitionCount` (> 0) partitions.
    public static func partition<C: Collection<UInt8>>(forKey key: C, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "partition count must be positive")
        return toPositive(murmur2(key)) % partitionCount
    }
}

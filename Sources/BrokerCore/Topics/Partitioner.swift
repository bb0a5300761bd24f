import Synchronization

/// Kafka's default partitioner, bit-compatible with the Java client.
///
/// Keyed records go to `toPositive(murmur2(key)) % partitionCount`, where `toPositive(n) = n & 0x7fffffff`
/// (not `abs`). Records without a key are spread with Kafka's sticky strategy: a run of records goes
/// to one partition, then the partitioner moves on to the next.
public final class DefaultPartitioner: Sendable {
    /// How many keyless records go to one partition before the sticky partitioner switches.
    public let stickyBatchSize: Int
    private let sticky: Mutex<(partition: Int32, remaining: Int)>

    /// Creates a partitioner; keyless records switch partition every `stickyBatchSize` records.
    public init(stickyBatchSize: Int = 100) {
        self.stickyBatchSize = max(1, stickyBatchSize)
        self.sticky = Mutex((partition: -1, remaining: 0))
    }

    /// Kafka's murmur2 hash (seed `0x9747b28c`) of `key`, as the Java client's signed 32-bit result.
    public static func murmur2<C: Collection<UInt8>>(_ key: C) -> Int32 {
        let bytes = Array(key)
        let length = bytes.count
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h: UInt32 = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let i4 = i * 4
            var k =
                UInt32(bytes[i4]) | (UInt32(bytes[i4 + 1]) << 8) | (UInt32(bytes[i4 + 2]) << 16)
                | (UInt32(bytes[i4 + 3]) << 24)
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        // Kafka's tail: the remaining 1-3 bytes, fall-through switch.
        let tail = blocks * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 1:
            h ^= UInt32(bytes[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition Kafka's Java client picks for `key` among `partitionCount` partitions.
    public static func partition<C: Collection<UInt8>>(forKey key: C, partitionCount: Int32) -> Int32 {
        precondition(partitionCount > 0, "partition count must be positive")
        return (murmur2(key) & 0x7fff_ffff) % partitionCount
    }

    /// The partition for a record: the key hash when there is a key, the sticky partition otherwise.
    public func partition(forKey key: [UInt8]?, partitionCount: Int32) -> Int32 {
        if let key { return Self.partition(forKey: key, partitionCount: partitionCount) }
        return sticky.withLock { state in
            if state.remaining <= 0 || state.partition < 0 || state.partition >= partitionCount {
                state.partition = (state.partition + 1) % partitionCount
                if state.partition < 0 { state.partition = 0 }
                state.remaining = stickyBatchSize
            }
            state.remaining -= 1
            return state.partition
        }
    }
}

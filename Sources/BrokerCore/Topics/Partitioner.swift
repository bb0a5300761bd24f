import KafkaHash
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

    /// Kafka's murmur2 hash of `key`, as the Java client's signed 32-bit result.
    public static func murmur2<C: Collection<UInt8>>(_ key: C) -> Int32 { KafkaPartitioner.murmur2(key) }

    /// The partition Kafka's Java client picks for `key` among `partitionCount` partitions.
    public static func partition<C: Collection<UInt8>>(forKey key: C, partitionCount: Int32) -> Int32 {
        KafkaPartitioner.partition(forKey: key, partitionCount: partitionCount)
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

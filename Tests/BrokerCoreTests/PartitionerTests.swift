import Testing

@testable import BrokerCore

struct PartitionerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let key: [UInt8]
        let murmur2: Int32
        let p3: Int32
        let p10: Int32
        let p50: Int32
        var testDescription: String { "\(key)" }
    }

    /// The vectors from Kafka's Java client (KAFKA-FACTS.md) hash and partition identically.
    @Test(arguments: [
        Vector(key: [], murmur2: 275_646_681, p3: 0, p10: 1, p50: 31),
        Vector(key: Array("a".utf8), murmur2: -1_563_381_124, p3: 1, p10: 4, p50: 24),
        Vector(key: Array("foo".utf8), murmur2: 597_841_616, p3: 2, p10: 6, p50: 16),
        Vector(key: Array("key-0".utf8), murmur2: 29_210_041, p3: 1, p10: 1, p50: 41),
        Vector(key: Array("key-1".utf8), murmur2: 193_331_640, p3: 0, p10: 0, p50: 40),
        Vector(key: Array("hello world".utf8), murmur2: 1_221_641_059, p3: 1, p10: 9, p50: 9),
        Vector(key: [0x00, 0xff], murmur2: -190_448_095, p3: 1, p10: 3, p50: 3),
        Vector(key: [0xc3, 0xbc], murmur2: 1_419_834_458, p3: 2, p10: 8, p50: 8),
    ])
    func javaClientVectors(_ v: Vector) {
        #expect(DefaultPartitioner.murmur2(v.key) == v.murmur2)
        #expect(DefaultPartitioner.partition(forKey: v.key, partitionCount: 3) == v.p3)
        #expect(DefaultPartitioner.partition(forKey: v.key, partitionCount: 10) == v.p10)
        #expect(DefaultPartitioner.partition(forKey: v.key, partitionCount: 50) == v.p50)
    }

    /// A keyed record always goes to the key's partition, whatever the sticky state is.
    @Test func keyedRecordsIgnoreStickiness() {
        let partitioner = DefaultPartitioner(stickyBatchSize: 2)
        for _ in 0..<10 {
            #expect(partitioner.partition(forKey: Array("foo".utf8), partitionCount: 3) == 2)
            _ = partitioner.partition(forKey: nil, partitionCount: 3)
        }
    }

    /// Keyless records stick to one partition for a batch, then move on, covering every partition.
    @Test func keylessRecordsAreSpreadInStickyRuns() {
        let partitioner = DefaultPartitioner(stickyBatchSize: 3)
        let picks = (0..<18).map { _ in partitioner.partition(forKey: nil, partitionCount: 3) }
        #expect(picks == [0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    }

    /// Shrinking the partition count (another topic) never yields an out-of-range partition.
    @Test func stickyPartitionStaysInRange() {
        let partitioner = DefaultPartitioner(stickyBatchSize: 5)
        for count in [7, 2, 1, 4] as [Int32] {
            for _ in 0..<20 {
                let p = partitioner.partition(forKey: nil, partitionCount: count)
                #expect(p >= 0 && p < count)
            }
        }
    }
}
